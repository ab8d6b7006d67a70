"""PGGAN generator of the padding study (paper §4.2, Tab. 3, Tab. 6, App. C).

PGGAN (Karras et al. 2018) built from mmagic's equalized-learning-rate
modules, with the parameter names of mmagic's ``PGGANGenerator`` (so its
checkpoints load), a padding mode and an optional positional head:

==========================  ===========================  =========================
setting (Tab. 3 / Tab. 6)   ``padding``                  ``head``
==========================  ===========================  =========================
(a) PGGAN                   ``ZeroPadConv``              ``None``
(b) w/o padding             ``InterpPad``                ``None``
(c) w/o padding + SPE       ``InterpPad``                ``SinusoidalEncoding2d``
==========================  ===========================  =========================

With ``ZeroPadConv`` the network is PGGAN's: 3x3 convs padded by 1,
upsampling by a fused transposed conv (or nearest).  Padding-free, every conv
has ``padding=0`` and the padding mode makes the borders: an upsampling
block of two 3x3 convs gets its ``H`` input interpolated (bilinear, replacing
PGGAN's upsampling, §4.1) to the size its stacks need (``stack_borders``),
and the 4x4 block's conv receives its first map prepared likewise.  Every
stage keeps PGGAN's sizes ``4, 8, ..., out_scale``; the to-RGB convs are 1x1.
"""
from copy import deepcopy
from typing import List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmagic.models.editors.pggan import PGGANGenerator
from mmagic.models.editors.pggan.pggan_modules import (EqualizedLRConvModule,
                                                       EqualizedLRConvUpModule,
                                                       PGGANNoiseTo2DFeat)
from mmengine.model import BaseModule
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import log2_of_power_of_two
from ..layers import build_head, build_padding, check_head_channels, check_padding
from ..layers.resolutions import FIRST_MAP_SIZE


@MODELS.register_module()
class PaddingStudyPGGANGenerator(BaseModule):
    """PGGAN generator with a padding mode and an optional head on the first map.

    Forward arguments are those of mmagic's ``PGGANGenerator`` (``noise``,
    ``num_batches``, ``return_noise``, ``transition_weight``,
    ``curr_scale``), so ``ProgressiveGrowingGAN`` trains it unchanged.

    Args:
        noise_size (int): Noise dimension.
        out_scale (int): Final output size (a power of two >= 4).
        padding (dict | str): ``ZeroPadConv`` (PGGAN) or ``InterpPad``
            (padding-free).
        head (dict | str | None): Positional head *added* to the first
            feature map (App. C.1), e.g. ``dict(type='SinusoidalEncoding2d')``;
            ``out_channels`` (the map's channels) and ``base_size`` (4) are
            filled in and must match if given.
        fused_upconv (bool | None): Upsample by a transposed conv (PGGAN);
            default: ``True`` with ``ZeroPadConv``, ``False`` padding-free (a
            transposed conv cannot be padding-free, App. A.5, so ``True`` is
            refused).
        base_channels (int): As PGGAN: channels ``min(base / 2^(s * decay), max)``.
        channel_decay (float): As PGGAN.
        max_channels (int): As PGGAN.
        conv_module_cfg (dict | None): Overrides of PGGAN's 3x3 conv module
            config (not ``kernel_size``, and not ``padding``: the mode sets it).
        fused_upconv_cfg (dict | None): Overrides of PGGAN's transposed conv.
        upsample_cfg (dict | None): PGGAN's upsampling (nearest 2x) of
            non-fused blocks with zero padding and of the faded-in image.

    Shape:
        ``forward(noise (N, noise_size), curr_scale=S) -> (N, 3, S, S)``.
    """

    def __init__(self,
                 noise_size: int,
                 out_scale: int,
                 padding: Union[str, dict] = 'ZeroPadConv',
                 head: Union[None, str, dict] = None,
                 fused_upconv: Optional[bool] = None,
                 base_channels: int = 8192,
                 channel_decay: float = 1.0,
                 max_channels: int = 512,
                 conv_module_cfg: Optional[dict] = None,
                 fused_upconv_cfg: Optional[dict] = None,
                 upsample_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        owner = type(self).__name__
        self.padding = build_padding(padding)
        check_padding(self.padding, owner, keeps_size=True,
                      why="every stage keeps PGGAN's sizes; NoPad's valid convs shrink them")
        check_padding(self.padding, owner, pads_input=False,
                      why='the study compares zero padding in every conv with padding-free')
        if fused_upconv is None:
            fused_upconv = not self.padding.is_padding_free
        if fused_upconv:
            check_padding(self.padding, owner, pads_convs=True,
                          why='fused_upconv=True is a transposed conv, which cannot be '
                          'padding-free (App. A.5); use fused_upconv=False')
        conv_cfg = deepcopy(PGGANGenerator._default_conv_module_cfg)
        conv_cfg.update(conv_module_cfg or {})
        if conv_cfg['kernel_size'] != 3:
            raise ValueError("the padding study keeps PGGAN's 3x3 convs")
        conv_padding = self.padding.conv_padding(3)
        if (conv_module_cfg or {}).get('padding', conv_padding) != conv_padding:
            raise ValueError(f"conv_module_cfg padding={conv_module_cfg['padding']} contradicts "
                             f'{type(self.padding).__name__}; leave it out, the padding mode '
                             'sets it')
        conv_cfg['padding'] = conv_padding
        self.out_scale = out_scale
        self.out_log2_scale = log2_of_power_of_two(out_scale, 'out_scale', FIRST_MAP_SIZE)
        self.noise_size = noise_size
        self.base_channels, self.channel_decay = base_channels, channel_decay
        self.max_channels = max_channels
        self.fused_upconv = fused_upconv
        # padding-free: the padding mode upsamples and borders; else PGGAN's blocks upsample
        self.mode_upsamples = self.padding.prepares_border
        if fused_upconv:
            up_cfg = deepcopy(PGGANGenerator._default_fused_upconv_cfg)
            up_cfg.update(fused_upconv_cfg or {})
            up_cfg['upsample'] = dict(type='fused_nn')
        else:
            up_cfg = dict(conv_cfg)
            up_cfg['upsample'] = None if self.mode_upsamples else dict(
                PGGANGenerator._default_upsample_cfg, **(upsample_cfg or {}))

        self.noise2feat = PGGANNoiseTo2DFeat(noise_size, self._num_out_channels(1))
        self.head = None
        if head is not None:
            channels = self._num_out_channels(1)
            self.head = build_head(head, out_channels=channels, base_size=FIRST_MAP_SIZE)
            check_head_channels(self.head, channels, owner)
        self.torgb_layers = nn.ModuleList()
        self.conv_blocks = nn.ModuleList()
        self.borders: List[Tuple[int, int]] = []  # (border, upsampling factor) per conv block
        up_border, border = self.padding.stack_borders([1, 1])
        for s in range(2, self.out_log2_scale + 1):
            out_ch = self._num_out_channels(s - 1)
            self.torgb_layers.append(
                EqualizedLRConvModule(out_ch, 3, kernel_size=1, stride=1, bias=True,
                                      equalized_lr_cfg=dict(gain=1), norm_cfg=None,
                                      act_cfg=None))
            if s == 2:  # the first map arrives prepared (see forward)
                self.conv_blocks.append(EqualizedLRConvModule(out_ch, out_ch, **conv_cfg))
                self.borders.append((0, 1))
                continue
            self.conv_blocks.append(
                EqualizedLRConvUpModule(self._num_out_channels(s - 2), out_ch, **up_cfg))
            self.conv_blocks.append(EqualizedLRConvModule(out_ch, out_ch, **conv_cfg))
            self.borders += [(up_border, 2), (border, 1)]
        self.upsample_layer = MODELS.build(
            dict(PGGANGenerator._default_upsample_cfg, **(upsample_cfg or {})))

    def _num_out_channels(self, log_scale: int) -> int:
        return min(int(self.base_channels / (2.0**(log_scale * self.channel_decay))),
                   self.max_channels)

    def first_map(self, noise: Tensor) -> Tensor:
        """The first feature map, head added, prepared for the 4x4 block's conv."""
        x = self.noise2feat(noise)
        if self.head is not None:
            x = x + self.head(x.shape[0], tuple(x.shape[-2:])).to(x)
        return self.padding.prepare(x, (FIRST_MAP_SIZE, FIRST_MAP_SIZE), 1)

    def _run_block(self, i: int, x: Tensor) -> Tensor:
        if self.mode_upsamples:
            border, factor = self.borders[i]
            x = self.padding.prepare(x, (factor * x.shape[2], factor * x.shape[3]), border)
        return self.conv_blocks[i](x)

    def forward(self,
                noise: Union[None, Tensor],
                num_batches: int = 0,
                return_noise: bool = False,
                transition_weight: float = 1.,
                curr_scale: int = -1):
        """Generate images (mmagic's ``PGGANGenerator`` calling convention).

        Args:
            noise (Tensor | None): ``(N, noise_size)``; None samples
                ``num_batches`` Gaussian vectors.
            num_batches (int): Batch size when ``noise`` is None.
            return_noise (bool): Return ``dict(fake_img, noise_batch)``.
            transition_weight (float): Fade-in weight of the last stage.
            curr_scale (int): Output size of the current stage (-1: ``out_scale``).
        """
        if noise is None:
            if num_batches < 1:
                raise ValueError('pass noise or num_batches >= 1')
            noise = torch.randn(num_batches, self.noise_size)
        if noise.ndim != 2 or noise.shape[1] != self.noise_size:
            raise ValueError(f'noise must be (N, {self.noise_size}), got {tuple(noise.shape)}')
        noise = noise.to(self.noise2feat.bias)
        log2_scale = self.out_log2_scale if curr_scale < 0 else log2_of_power_of_two(
            curr_scale, 'curr_scale', FIRST_MAP_SIZE)
        x = self._run_block(0, self.first_map(noise))
        if log2_scale <= 3:
            out_img = last_img = self.torgb_layers[0](x)
        for s in range(3, log2_scale + 1):
            x = self._run_block(2 * s - 5, x)
            x = self._run_block(2 * s - 4, x)
            if s + 1 == log2_scale:
                last_img = self.torgb_layers[s - 2](x)
            elif s == log2_scale:
                out_img = self.torgb_layers[s - 2](x)
                residual = self.upsample_layer(last_img)
                out_img = residual + transition_weight * (out_img - residual)
        if return_noise:
            return dict(fake_img=out_img, noise_batch=noise)
        return out_img
