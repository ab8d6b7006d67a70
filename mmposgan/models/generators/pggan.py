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
upsampling by a fused transposed conv (or nearest).  Padding-free (§4.1),
every conv has ``padding=0`` and the padding mode makes the borders: the
noise is mapped to a first map produced larger (6x6, the mode's
``source_size``) for the valid 3x3 conv of the 4x4 block, and an upsampling
block of two 3x3 convs gets its ``H`` input interpolated once (bilinear,
replacing PGGAN's upsampling) to ``2H + 4`` with ``InterpPad``
(``stack_borders``).  Every stage keeps PGGAN's sizes ``4, 8, ...,
out_scale``; the to-RGB convs are 1x1.
"""
import math
from copy import deepcopy
from typing import List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmagic.models.editors.pggan import PGGANGenerator
from mmagic.models.editors.pggan.pggan_modules import (EqualizedLRConvModule,
                                                       EqualizedLRConvUpModule,
                                                       EqualizedLRLinearModule, PixelNorm,
                                                       pixel_norm)
from mmengine.model import BaseModule
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import log2_of_power_of_two
from ..layers import build_head, build_padding, check_head_channels, check_padding
from ..layers.resolutions import FIRST_MAP_SIZE


class NoiseToMap(BaseModule):
    """PGGAN's noise -> first feature map, at any size (mmagic's ``PGGANNoiseTo2DFeat`` at 4).

    ``pixel_norm(z) -> equalized linear -> (C, s, s) + bias -> LeakyReLU(0.2) ->
    pixel norm over channels`` (eps 1e-6, then 1e-5, as mmagic's); the parameter
    names are mmagic's.

    Args:
        noise_size (int): Noise dimension.
        out_channels (int): ``C``.
        size (int): ``s``, the side of the map.

    Shape:
        ``(N, noise_size) -> (N, C, s, s)``.
    """

    def __init__(self, noise_size: int, out_channels: int, size: int = FIRST_MAP_SIZE):
        super().__init__()
        self.out_channels, self.size = out_channels, size
        self.linear = EqualizedLRLinearModule(noise_size, out_channels * size**2, bias=False,
                                              equalized_lr_cfg=dict(gain=math.sqrt(2) / 4))
        self.activation = nn.LeakyReLU(0.2)
        self.bias = nn.Parameter(torch.zeros(1, out_channels, 1, 1))
        self.norm = PixelNorm(eps=1e-5)  # mmagic builds it through mmcv's build_norm_layer

    def forward(self, noise: Tensor) -> Tensor:
        x = self.linear(pixel_norm(noise)).view(-1, self.out_channels, self.size, self.size)
        return self.norm(self.activation(x + self.bias))


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
            ``out_channels`` (the map's channels) and ``base_size`` (the first
            map's side: 4, or 6 padding-free) are filled in and must match if
            given.
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

        # the first map is produced at the size its 3x3 conv needs ("a larger input map")
        first = self.padding.source_size(FIRST_MAP_SIZE, 1)[0]
        channels = self._num_out_channels(1)
        self.noise2feat = NoiseToMap(noise_size, channels, first)
        self.head = None
        if head is not None:
            self.head = build_head(head, out_channels=channels, base_size=first)
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
