"""DCGAN generator of the padding study (paper §4.2, Tab. 4, App. C).

The baseline of App. C.1 is DCGAN with every transposed conv replaced by
bilinear upsampling + a 3x3 conv (a transposed conv's implicit zero padding
cannot be removed, App. A.5), trained with WGAN-GP.  Its three settings are
modules, not flags:

===========================  ==============================  ================
setting (Tab. 4)             ``padding``                     ``head``
===========================  ==============================  ================
(a) DCGAN w/ conv            ``ZeroPadConv``                 ``None``
(b) w/o padding              ``InterpPad``                   ``None``
(c) w/o padding + SPE        ``InterpPad``                   ``SinusoidalEncoding2d``
===========================  ==============================  ================

Size arithmetic.  The noise is mapped by a linear layer to an ``H0 x H0``
map (``H0 = 4``) and ``n = log2(out_size) - 2`` blocks
``UpsampleConv2d`` each turn ``H`` into ``2H``: with ``ZeroPadConv`` the
conv pads by 1; with ``InterpPad`` the map is interpolated straight to
``2H + 2`` and the valid conv returns ``2H``.  So ``out_size = 2^n * H0``
and, padding-free, no conv pads.  A block has one conv and the 4x4 map is
never convolved, so ``InterpPad`` and ``PerConvInterpPad`` build the same
network here.  ``NoPad`` (valid convs, ``2H - 2`` per block) would need
``out_size = 2^n (H0 - 2) + 2``, which no power of two satisfies: it is
refused at construction, as is any mode whose arithmetic does not reach
``out_size``.
"""
from typing import Optional, Union

import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import log2_of_power_of_two
from ..layers import UpsampleConv2d, build_head, build_padding, check_head_channels, check_padding
from ..layers.resolutions import FIRST_MAP_SIZE


@MODELS.register_module()
class PaddingStudyDCGANGenerator(BaseModule):
    """DCGAN generator with upsample + conv blocks and a padding mode (App. C.1).

    ``noise -> linear -> (C0, 4, 4) -> BN, ReLU -> [+ head] -> n x
    (UpsampleConv2d, BN, ReLU) -> tanh``; the last block outputs the image.
    The head, if any, is *added* to the first 4x4 feature map (App. C.1:
    "the first 4x4 feature map is combined with SPE"); its channels are the
    feature channels ``C0``.

    Args:
        out_size (int): Output size, a power of two >= 8.
        noise_size (int): Noise dimension.
        base_channels (int): ``C0``, channels of the 4x4 map; halved by each
            block (``C0 / 2^(n-1)`` >= 1 required).
        out_channels (int): Image channels.
        padding (dict | str): ``ZeroPadConv`` (baseline) or ``InterpPad``
            (padding-free).
        head (dict | str | None): Positional head added to the first map,
            e.g. ``dict(type='SinusoidalEncoding2d')``; ``out_channels`` and
            ``base_size`` are filled in (``C0``, 4) and must match if given.

    Shape:
        ``forward(noise (N, noise_size)) -> (N, out_channels, out_size, out_size)``.
    """

    def __init__(self,
                 out_size: int = 128,
                 noise_size: int = 128,
                 base_channels: int = 1024,
                 out_channels: int = 3,
                 padding: Union[str, dict] = 'ZeroPadConv',
                 head: Union[None, str, dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        log_size = log2_of_power_of_two(out_size, 'out_size', minimum=8)
        num_blocks = log_size - 2  # n upsampling blocks from 4x4
        if base_channels % 2**(num_blocks - 1) != 0:
            raise ValueError(f'base_channels={base_channels} cannot be halved {num_blocks - 1} '
                             f'times for out_size={out_size}')
        self.padding = build_padding(padding)
        check_padding(self.padding, type(self).__name__, pads_input=False,
                      why='the study compares zero padding in every conv with padding-free')
        self.out_size = out_size
        self.noise_size = noise_size
        self.base_channels = base_channels

        channels = [base_channels // 2**i for i in range(num_blocks)] + [out_channels]
        self.noise2feat = nn.Linear(noise_size, base_channels * FIRST_MAP_SIZE**2)
        self.input_act = nn.Sequential(nn.BatchNorm2d(base_channels), nn.ReLU(inplace=True))
        self.head = None
        if head is not None:
            self.head = build_head(head, out_channels=base_channels, base_size=FIRST_MAP_SIZE)
            check_head_channels(self.head, base_channels, type(self).__name__)

        self.blocks = nn.ModuleList()
        for i in range(num_blocks):
            is_last = i == num_blocks - 1
            self.blocks.append(nn.Sequential(
                UpsampleConv2d(channels[i], channels[i + 1], 3, padding=self.padding),
                nn.Tanh() if is_last else nn.BatchNorm2d(channels[i + 1]),
                nn.Identity() if is_last else nn.ReLU(inplace=True)))

        size = (FIRST_MAP_SIZE, FIRST_MAP_SIZE)
        for block in self.blocks:
            size = block[0].output_size(size)
        if size != (out_size, out_size):
            raise ValueError(f'{type(self.padding).__name__}: {num_blocks} upsample + 3x3 conv '
                             f'blocks from {FIRST_MAP_SIZE}x{FIRST_MAP_SIZE} give '
                             f'{size[0]}x{size[1]}, not {out_size}x{out_size}; use ZeroPadConv '
                             'or InterpPad')

    def input_map(self, noise: Tensor) -> Tensor:
        """The first ``(N, C0, 4, 4)`` feature map, head included."""
        x = self.noise2feat(noise).view(-1, self.base_channels, FIRST_MAP_SIZE, FIRST_MAP_SIZE)
        x = self.input_act(x)
        if self.head is not None:
            x = x + self.head(x.shape[0], (FIRST_MAP_SIZE, FIRST_MAP_SIZE))
        return x

    def forward(self, noise: Tensor, num_batches: int = 0, return_noise: bool = False):
        """Generate images (mmagic's generator calling convention).

        Args:
            noise (Tensor | None): ``(N, noise_size)``; ``None`` samples
                ``num_batches`` Gaussian vectors.
            num_batches (int): Batch size when ``noise`` is ``None``.
            return_noise (bool): Return ``dict(fake_img, noise_batch)``.
        """
        if noise is None:
            if num_batches < 1:
                raise ValueError('pass noise or num_batches >= 1')
            noise = self.noise2feat.weight.new_empty(num_batches, self.noise_size).normal_()
        if noise.ndim != 2 or noise.shape[1] != self.noise_size:
            raise ValueError(f'noise must be (N, {self.noise_size}), got {tuple(noise.shape)}')
        noise = noise.to(self.noise2feat.weight)
        x = self.input_map(noise)
        for block in self.blocks:
            x = block(x)
        if return_noise:
            return dict(fake_img=x, noise_batch=noise)
        return x
