"""PGGAN generator of the padding study (paper §4.2, Tab. 3, Tab. 6, App. C).

mmagic's ``PGGANGenerator`` (its blocks, to-RGB layers, progressive
``curr_scale`` / ``transition_weight`` forward) composed with a padding mode
and an optional positional head:

==========================  ===========================  =========================
setting (Tab. 3 / Tab. 6)   ``padding``                  ``head``
==========================  ===========================  =========================
(a) PGGAN                   ``ZeroPadConv``              ``None``
(b) w/o padding             ``InterpPad``                ``None``
(c) w/o padding + SPE       ``InterpPad``                ``SinusoidalEncoding2d``
==========================  ===========================  =========================

Size arithmetic of the padding-free generator: the 4x4 block's 3x3 conv is
valid and receives the 4x4 map interpolated to 6x6; every upsampling block
interpolates ``H`` straight to ``2H + 2`` (bilinear, replacing PGGAN's
transposed/nearest upsampling, §4.1) and its valid conv returns ``2H``; the
refining 3x3 conv receives ``2H`` interpolated to ``2H + 2``.  Every conv
has ``padding=0``; the to-RGB convs are 1x1.  So each stage keeps PGGAN's
sizes ``4, 8, ..., out_scale``.
"""
from typing import Optional

from mmagic.models.editors.pggan import PGGANGenerator
from mmagic.models.editors.pggan.pggan_modules import EqualizedLRConvUpModule

from mmposgan.registry import MODELS
from ..layers import build_head, build_padding
from ..layers.padded_block import PaddedBlock, check_size_preserving

INPUT_SIZE = 4


def _add_head(module, inputs, output):
    """Forward hook of ``noise2feat``: add its positional head (App. C.1)."""
    return output + module.head(output.shape[0], tuple(output.shape[-2:]))


@MODELS.register_module()
class PaddingStudyPGGANGenerator(PGGANGenerator):
    """PGGAN generator with a padding mode and an optional head on the 4x4 map.

    Forward arguments are those of mmagic's ``PGGANGenerator`` (``noise``,
    ``num_batches``, ``return_noise``, ``transition_weight``,
    ``curr_scale``), so ``ProgressiveGrowingGAN`` trains it unchanged.

    Args:
        noise_size (int): Noise dimension.
        out_scale (int): Final output size (a power of two).
        padding (dict | str): ``ZeroPadConv`` (PGGAN) or ``InterpPad``
            (padding-free).
        head (dict | None): Positional head *added* to the first 4x4 feature
            map (App. C.1), e.g. ``dict(type='SinusoidalEncoding2d')``;
            ``out_channels`` (the map's channels) and ``base_size`` (4) are
            filled in and must match if given.
        fused_upconv (bool | None): mmagic's transposed-conv upsampling;
            default: ``True`` with ``ZeroPadConv`` (original PGGAN), ``False``
            with ``InterpPad`` (a transposed conv cannot be padding-free,
            App. A.5, so ``True`` is refused).
        **kwargs: Other ``PGGANGenerator`` arguments (``base_channels``,
            ``max_channels``, ``channel_decay``, ``conv_module_cfg``, ...).

    Shape:
        ``forward(noise (N, noise_size), curr_scale=S) -> (N, 3, S, S)``.
    """

    def __init__(self,
                 noise_size: int,
                 out_scale: int,
                 padding='ZeroPadConv',
                 head: Optional[dict] = None,
                 fused_upconv: Optional[bool] = None,
                 **kwargs):
        padding = build_padding(padding)
        check_size_preserving(padding, type(self).__name__)
        if fused_upconv is None:
            fused_upconv = not padding.is_padding_free
        if fused_upconv and padding.is_padding_free:
            raise ValueError('fused_upconv=True (transposed conv) cannot be padding-free; '
                             'use fused_upconv=False with InterpPad')
        conv_module_cfg = dict(kwargs.pop('conv_module_cfg', None) or {})
        if conv_module_cfg.get('kernel_size', 3) != 3:
            raise ValueError('the padding study keeps PGGAN\'s 3x3 convs')
        conv_padding = padding.conv_padding(3)
        if conv_module_cfg.setdefault('padding', conv_padding) != conv_padding:
            raise ValueError(f"conv_module_cfg padding={conv_module_cfg['padding']} contradicts "
                             f'{type(padding).__name__}; leave it out, the padding mode sets it')
        super().__init__(noise_size, out_scale, fused_upconv=fused_upconv,
                         conv_module_cfg=conv_module_cfg, **kwargs)
        self.padding = padding
        if padding.is_padding_free:
            for i, block in enumerate(self.conv_blocks):
                is_up = isinstance(block, EqualizedLRConvUpModule)
                if is_up:
                    # the wrapper interpolates straight to the padded size instead
                    del block.upsample_layer
                self.conv_blocks[i] = PaddedBlock(block, padding, shrink=1,
                                                  scale_factor=2 if is_up else 1)
        self.has_head = head is not None
        if head is not None:
            channels = self._num_out_channels(1)
            head = dict(head)
            for key, value in (('out_channels', channels), ('base_size', INPUT_SIZE)):
                if head.setdefault(key, value) not in (value, (value, value)):
                    raise ValueError(f'the head is added to the first {INPUT_SIZE}x{INPUT_SIZE} '
                                     f'map of {channels} channels; got {key}={head[key]}')
            self.noise2feat.add_module('head', build_head(head))
            self.noise2feat.register_forward_hook(_add_head)
