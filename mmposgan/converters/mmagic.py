"""Convert released mmagic / MMGeneration checkpoints to mmposgan's layout.

Covers the checkpoints of "Positional Encoding as Spatial Inductive Bias in
GANs" (Xu et al., CVPR 2021) published with mmagic: the StyleGAN2 baselines
and MS-PIE StyleGAN2 models of Tab. 5 (configs a-k, 256-896, 256-1024:
``StyleGAN2`` / ``MSPIEStyleGAN2`` with ``generator.``, ``generator_ema.``
and ``discriminator.`` weights) and the PE-SinGAN models of §4.4
(``PESinGAN``; their fixed noises come in a side file, see
:mod:`.singan_side_file`).

The architecture is read from the keys; the renaming is exact (our layers
use the same raw parameters), which ``tests/converters/test_mmagic_parity.py``
proves by comparing outputs with mmagic's own modules.  Conversion is cheap
and idempotent: a checkpoint already in our layout is returned as it is, so
loaders may call :func:`convert_mmagic_checkpoint` on every checkpoint.
"""
import re
from typing import Dict, Optional

import torch
from torch import Tensor

from .architecture import released_training_settings
from .singan_side_file import load_singan_side_file, side_file_state
from .stylegan2_keys import convert_module, infer_generator_architecture

#: Top-level entries of an mmengine/MMGeneration checkpoint that refer to
#: the old parameter layout and are dropped (optimizer states, schedulers).
DROPPED_ENTRIES = ('optimizer', 'param_schedulers', 'message_hub', 'ema_state')

#: A key every mmagic StyleGAN2 / MS-PIE checkpoint has (under one of the prefixes).
_MMAGIC_STYLEGAN2 = tuple(f'{prefix}style_mapping.1.linear.weight_orig'
                          for prefix in ('generator.', 'generator_ema.', 'generator_ema.module.'))
_SINGAN_KEY = re.compile(r'^blocks\.\d+\.(head|body\.block\d+|tail)\.'
                         r'(conv\.(weight|bias)|bn\.(weight|bias|running_mean|running_var|'
                         r'num_batches_tracked))$')


#: Model-level buffers of the MMGeneration 0.7 layout -> mmagic 1.x's names.  MMGeneration's
#: ``StaticUnconditionalGAN`` (``MSPIEStyleGAN2`` derives from it) keeps the path-length
#: mean in its ``GeneratorPathRegularizer``, held in the ``ModuleList``
#: ``gen_auxiliary_losses``; its EMA generator is a plain copy (``generator_ema.<key>``,
#: no ``.module`` and no ``steps``), which :func:`_group` reads as well.
_MODEL_BUFFERS = {'gen_auxiliary_losses.0.mean_path_length': 'mean_path_length'}


def _state_dict(checkpoint: dict) -> Dict[str, Tensor]:
    if not isinstance(checkpoint, dict):
        raise ValueError(f'a checkpoint must be a dict, got {type(checkpoint).__name__}')
    sd = checkpoint.get('state_dict', checkpoint)
    if not isinstance(sd, dict):
        raise ValueError('checkpoint["state_dict"] is not a dict')
    return sd


_OUR_SCOPE = re.compile(r'''default_scope\s*=\s*['"]mmposgan['"]''')


def _saved_by_mmposgan(checkpoint: dict) -> bool:
    """An mmengine Runner checkpoint of any mmposgan model (its config is in ``meta``)."""
    meta = checkpoint.get('meta') if 'state_dict' in checkpoint else None
    cfg = meta.get('cfg') if isinstance(meta, dict) else None
    return isinstance(cfg, str) and _OUR_SCOPE.search(cfg) is not None


def detect_layout(checkpoint: dict) -> str:
    """``'mmposgan'``, ``'mmagic-stylegan2'`` or ``'mmagic-singan'``.

    A few dict look-ups: ours are recognised by our MS-PIE / SinGAN keys or,
    for any other mmposgan model, by ``default_scope = 'mmposgan'`` in the
    config mmengine's Runner stores in ``meta['cfg']``.

    Raises:
        ValueError: None of them; the message shows the first keys.
    """
    sd = _state_dict(checkpoint)
    if ('generator.conv1.noise_strength' in sd or 'generator.style_mapping.0.weight' in sd
            or 'state.curr_stage_' in sd or _saved_by_mmposgan(checkpoint)):
        return 'mmposgan'
    if any(k in sd for k in _MMAGIC_STYLEGAN2):
        return 'mmagic-stylegan2'
    if 'generator.blocks.0.head.conv.weight' in sd:
        return 'mmagic-singan'
    raise ValueError('unrecognised checkpoint layout: expected an mmposgan checkpoint, an mmagic/'
                     'MMGeneration StyleGAN2 / MS-PIE one (generator.style_mapping.1.linear.'
                     'weight_orig) or a PE-SinGAN one (generator.blocks.0.head.conv.weight); '
                     f'first keys: {list(sd)[:5]}')


def is_mmagic_checkpoint(checkpoint: dict) -> bool:
    """Whether ``checkpoint`` is in a layout :func:`convert_mmagic_checkpoint` converts."""
    try:
        return detect_layout(checkpoint) != 'mmposgan'
    except ValueError:
        return False


def _group(sd: Dict[str, Tensor]) -> Dict[str, Dict[str, Tensor]]:
    """Split keys by module: generator, generator_ema, discriminator, rest."""
    groups = dict(generator={}, generator_ema={}, discriminator={}, rest={})
    for key, value in sd.items():
        if key.startswith('generator_ema.'):
            sub = key[len('generator_ema.'):]
            if sub == 'steps':
                groups['rest'][key] = value
            else:  # mmagic 1.x wraps the EMA copy (.module.), MMGeneration 0.x does not
                groups['generator_ema'][sub[len('module.'):] if sub.startswith('module.')
                                        else sub] = value
        elif key.startswith('generator.'):
            groups['generator'][key[len('generator.'):]] = value
        elif key.startswith('discriminator.'):
            groups['discriminator'][key[len('discriminator.'):]] = value
        else:
            groups['rest'][key] = value
    return groups


def _convert_singan_module(state: Dict[str, Tensor], which: str) -> Dict[str, Tensor]:
    out, unknown = {}, []
    for key, value in state.items():
        if key == 'head_position_encode._float_tensor':  # SPE's dtype helper
            continue
        if _SINGAN_KEY.match(key):
            out[key] = value
        else:
            unknown.append(key)
    if unknown:
        raise ValueError(f'not an mmagic PE-SinGAN {which}: unrecognised keys {unknown[:5]}')
    return out


def _convert_stylegan2(groups) -> Dict[str, Tensor]:
    if not groups['generator'] and not groups['generator_ema']:
        raise ValueError('the checkpoint holds no generator weights')
    gen = convert_module(groups['generator'] or groups['generator_ema'], 'generator')
    ema = convert_module(groups['generator_ema'], 'generator') if groups['generator_ema'] else gen
    out = {f'generator.{k}': v for k, v in gen.items()}
    out.update({f'generator_ema.module.{k}': v for k, v in ema.items()})
    if groups['discriminator']:
        disc = convert_module(groups['discriminator'], 'discriminator')
        out.update({f'discriminator.{k}': v for k, v in disc.items()})
    rest = {_MODEL_BUFFERS.get(k, k): v for k, v in groups['rest'].items()}
    unknown = set(rest) - {'generator_ema.steps', 'mean_path_length'}
    if unknown:
        raise ValueError(f'not an mmagic StyleGAN2/MS-PIE checkpoint: unrecognised keys '
                         f'{sorted(unknown)[:5]}')
    out['generator_ema.steps'] = rest.get('generator_ema.steps', torch.tensor(0))
    out['mean_path_length'] = rest.get('mean_path_length', torch.tensor(0.))
    return out


def _convert_singan(groups, side: Optional[dict]) -> Dict[str, Tensor]:
    if set(groups['rest']) - {'generator_ema.steps'}:
        raise ValueError(f'not an mmagic PE-SinGAN checkpoint: unrecognised keys '
                         f'{sorted(groups["rest"])[:5]}')
    out = {}
    for which in ('generator', 'discriminator'):
        out.update({f'{which}.{k}': v
                    for k, v in _convert_singan_module(groups[which], which).items()})
    if groups['generator_ema']:
        ema = _convert_singan_module(groups['generator_ema'], 'generator')
        out.update({f'generator_ema.module.{k}': v for k, v in ema.items()})
        out['generator_ema.steps'] = groups['rest'].get('generator_ema.steps', torch.tensor(0))
    out.update(side_file_state(side))
    return out


def convert_mmagic_checkpoint(checkpoint: dict, singan_side_file=None) -> dict:
    """Return ``checkpoint`` in mmposgan's layout.

    Args:
        checkpoint (dict): A loaded checkpoint (``state_dict`` with
            ``generator.`` / ``generator_ema.`` / ``discriminator.`` keys,
            maybe ``meta`` and optimizer states), or a bare state dict.
        singan_side_file (str | dict | None): PE-SinGAN only: path of the
            released fixed-noise side file, or its loaded content
            (:func:`load_singan_side_file`), merged as ``state.*`` buffers;
            required for PE-SinGAN (its ``.pth`` alone cannot sample).

    Returns:
        dict: The same object when it is already ours; otherwise a new
        checkpoint with the converted ``state_dict``, the old ``meta`` plus
        ``meta['mmposgan_conversion']`` (source layout, generator
        architecture inferred from the keys, settings of the training config
        saved in the file: :mod:`.architecture`, which loaders compare with
        the config), and no optimizer states (they refer to the old
        parameter layout).

    Raises:
        ValueError: Unrecognised layout or keys, a side file for a
            non-SinGAN checkpoint, or none for a PE-SinGAN one.
    """
    layout = detect_layout(checkpoint)
    if layout == 'mmposgan':
        if singan_side_file is not None:
            raise ValueError('this checkpoint is already in mmposgan layout; its SinGAN state '
                             'travels inside it, so no side file is needed')
        return checkpoint
    groups = _group(_state_dict(checkpoint))
    info = dict(source=layout)
    if layout == 'mmagic-stylegan2':
        if singan_side_file is not None:
            raise ValueError('a fixed-noise side file only belongs to a PE-SinGAN checkpoint')
        info['generator'] = infer_generator_architecture(groups['generator']
                                                         or groups['generator_ema'])
        training = released_training_settings(checkpoint.get('meta'))
        if training:
            info['training'] = training
        state_dict = _convert_stylegan2(groups)
    else:
        side = singan_side_file
        if side is None:
            raise ValueError('a PE-SinGAN checkpoint holds only weights: pass its fixed-noise side '
                             'file (released next to it, same name with .pkl) as '
                             'singan_side_file, or convert it with tools/model_converters/'
                             'mmagic_to_mmposgan.py IN.pth OUT.pth --noise SIDE.pkl')
        if isinstance(side, str):
            side = load_singan_side_file(side)
        info['num_stages'] = 1 + max(int(k.split('.')[2]) for k in _state_dict(checkpoint)
                                     if k.startswith('generator.blocks.'))
        state_dict = _convert_singan(groups, side)
    is_bare = 'state_dict' not in checkpoint
    if is_bare:
        return state_dict
    out = {k: v for k, v in checkpoint.items() if k not in DROPPED_ENTRIES}
    out['state_dict'] = state_dict
    meta = dict(out.get('meta') or {})
    meta['mmposgan_conversion'] = info
    out['meta'] = meta
    return out
