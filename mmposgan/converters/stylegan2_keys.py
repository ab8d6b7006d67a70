"""Key mapping of mmagic / MMGeneration StyleGAN2 (MS-PIE) state dicts to ours.

mmagic's equalized-learning-rate layers keep their raw weight as
``weight_orig`` (a forward pre-hook rescales it), wrap linear and conv layers
one level deeper (``.linear`` / ``.conv``), count the mapping MLP from 1
(index 0 is ``PixelNorm``) and store FIR kernels, SPE helper tensors and
fixed injected noise as buffers.  Our modules scale the same raw weights at
run time, so conversion is a pure renaming; buffers that ours recompute are
dropped.  Every key must match a rule: an unknown key means another
architecture and raises.
"""
import re
from typing import Dict, List, Optional, Tuple

from torch import Tensor

_STYLED = r'(conv1|convs\.\d+)'
_RGB = r'(to_rgb1|to_rgbs\.\d+)'
_DOWN = r'(convs\.\d+(?:\.(?:conv1|conv2|skip))?|final_conv)'

#: (pattern, replacement or None to drop) for generator keys.
GENERATOR_RULES: List[Tuple[str, Optional[str]]] = [
    (r'style_mapping\.(\d+)\.linear\.weight_orig', 'style_mapping.{0}.weight'),
    (r'style_mapping\.(\d+)\.bias', 'style_mapping.{0}.bias'),
    (r'constant_input\.input', 'head.weight'),
    (r'head_pos_enc\._float_tensor', None),  # SPE's dtype helper
    (r'injected_noise_\d+(?:_\d+)?', None),  # fixed noise buffers, redrawn here
    (r'truncation_latent', None),
    (r'w_avg', None),  # running mean of w (StyleGAN2Generator, update_mean_latent_with_ema)
    (_STYLED + r'\.conv\.weight_orig', '{0}.conv.weight'),
    (_STYLED + r'\.conv\.style_modulation\.linear\.weight_orig',
     '{0}.conv.style_modulation.weight'),
    (_STYLED + r'\.conv\.style_modulation\.bias', '{0}.conv.style_modulation.bias'),
    (_STYLED + r'\.conv\.blur\.kernel', None),  # transposed conv's FIR kernel
    (_STYLED + r'\.noise_injector\.weight', '{0}.noise_strength'),
    (_STYLED + r'\.activate\.bias', '{0}.bias'),
    (_RGB + r'\.bias', '{0}.bias'),
    (_RGB + r'\.conv\.weight_orig', '{0}.conv.weight'),
    (_RGB + r'\.conv\.style_modulation\.linear\.weight_orig', '{0}.conv.style_modulation.weight'),
    (_RGB + r'\.conv\.style_modulation\.bias', '{0}.conv.style_modulation.bias'),
    (_RGB + r'\.upsample\.kernel', None),
]

#: Rules for discriminator keys (``ConvDownLayer`` = [Blur], EqualizedLRConv, [bias act]).
DISCRIMINATOR_RULES: List[Tuple[str, Optional[str]]] = [
    (_DOWN + r'\.\d+\.conv\.weight_orig', '{0}.conv.weight'),
    (_DOWN + r'\.\d+\.conv\.bias', '{0}.conv.bias'),
    (_DOWN + r'\.\d+\.bias', '{0}.act_bias'),
    (_DOWN + r'\.\d+\.kernel', None),
    (r'final_linear\.(\d)\.linear\.weight_orig', 'final_linear.{0}.weight'),
    (r'final_linear\.(\d)\.bias', 'final_linear.{0}.bias'),
]

_COMPILED = {id(rules): [(re.compile(p + '$'), r) for p, r in rules]
             for rules in (GENERATOR_RULES, DISCRIMINATOR_RULES)}


def _rename(key: str, rules) -> Tuple[bool, Optional[str]]:
    for pattern, repl in _COMPILED[id(rules)]:
        m = pattern.match(key)
        if m is None:
            continue
        if repl is None:
            return True, None
        groups = list(m.groups())
        if key.startswith('style_mapping.'):
            groups[0] = str(int(groups[0]) - 1)  # mmagic's index 0 is PixelNorm
        return True, repl.format(*groups)
    return False, None


def convert_module(state: Dict[str, Tensor], which: str) -> Dict[str, Tensor]:
    """Rename one module's keys (``which``: ``'generator'`` or ``'discriminator'``).

    Raises:
        ValueError: A key matches no rule (names up to five of them).
    """
    rules = GENERATOR_RULES if which == 'generator' else DISCRIMINATOR_RULES
    out, unknown = {}, []
    for key, value in state.items():
        known, new = _rename(key, rules)
        if not known:
            unknown.append(key)
        elif new is not None:
            out[new] = value
    if unknown:
        raise ValueError(f'not an mmagic StyleGAN2/MS-PIE {which}: unrecognised keys '
                         f'{unknown[:5]}{" ..." if len(unknown) > 5 else ""}')
    return out


def infer_generator_architecture(state: Dict[str, Tensor]) -> dict:
    """What an mmagic StyleGAN2/MS-PIE generator state dict implies, in our types.

    Returns a dict with ``out_size``, ``style_channels``, ``num_mlps``,
    ``channel_multiplier`` (None below 64 px), ``head`` (the head type of the
    release structure: ``LearnableConstant``, ``MMagicSinusoidalEncoding2d``
    or ``MMagicCartesianGrid2d``), ``head_channels``, ``head_size`` (base head
    side, 6 when padding-free), ``upsample`` (``TransposedConvUp``,
    ``ConvThenBilinear`` with padding, ``BilinearThenConv`` padding-free),
    ``padding`` (``ZeroPadConv`` or ``InterpPad``) and ``skip_upsample``
    (``FIRUpsample``: mmagic always upsamples the RGB skip with it).
    """
    num_rgbs = sum(1 for k in state if re.match(r'to_rgbs\.\d+\.conv\.weight_orig$', k))
    log_size = num_rgbs + 2
    style_channels = state['style_mapping.1.linear.weight_orig'].shape[1]
    num_mlps = sum(1 for k in state if re.match(r'style_mapping\.\d+\.linear\.weight_orig$', k))
    conv1 = state['conv1.conv.weight_orig']  # (1, C_out, C_in, k, k)
    multiplier = None
    if log_size >= 6:  # channels[64] = 256 * multiplier; to_rgbs[3] reads the 64 px map
        multiplier = state['to_rgbs.3.conv.weight_orig'].shape[2] // 256
    if 'constant_input.input' in state:
        head, head_size = 'LearnableConstant', state['constant_input.input'].shape[-1]
    elif 'head_pos_enc._float_tensor' in state:
        head, head_size = 'MMagicSinusoidalEncoding2d', None
    elif conv1.shape[2] == 2:
        head, head_size = 'MMagicCartesianGrid2d', None
    else:
        raise ValueError('cannot tell the input head of this mmagic generator')
    transposed = 'convs.0.conv.blur.kernel' in state
    # fixed noise of the first upsampling conv: 2 * 4 px, + 2 when padding-free
    noise = state.get('injected_noise_1')
    padding_free = (noise is not None and noise.shape[-1] == 10) or head_size == 6
    if head_size is None:
        head_size = 6 if padding_free else 4
    if transposed:
        upsample = 'TransposedConvUp'
    else:
        upsample = 'BilinearThenConv' if padding_free else 'ConvThenBilinear'
    return dict(out_size=2**log_size, style_channels=style_channels, num_mlps=num_mlps,
                channel_multiplier=multiplier, head=head, head_channels=conv1.shape[2],
                head_size=head_size, upsample=upsample,
                padding='InterpPad' if padding_free else 'ZeroPadConv',
                skip_upsample='FIRUpsample')
