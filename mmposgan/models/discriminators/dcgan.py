"""DCGAN critic for the WGAN-GP padding study (paper §4.2, Tab. 4, App. C.1).

The paper changes only the generator between the three settings of Tab. 4;
the critic is the same DCGAN discriminator in all of them.  As WGAN-GP's
gradient penalty is per sample, the critic has no batch norm (Gulrajani et
al. 2017 §4); an optional per-sample norm can be configured.
"""
from typing import Optional

import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import log2_of_power_of_two
from ..layers.resolutions import FIRST_MAP_SIZE


@MODELS.register_module()
class PaddingStudyDCGANDiscriminator(BaseModule):
    """DCGAN critic: stride-2 4x4 convs down to 4x4, then a linear layer.

    Channels double at each halving from ``base_channels`` (capped at
    ``max_channels``); LeakyReLU(0.2) after every conv.

    Args:
        in_size (int): Input size, a power of two >= 8.
        in_channels (int): Image channels.
        base_channels (int): Channels after the first conv.
        max_channels (int): Cap on the channels.
        norm_cfg (dict | None): Per-sample norm after each conv but the
            first (e.g. ``dict(type='LN')`` is not per-map in mmcv; use
            ``dict(type='GN', num_groups=1)`` for layer norm); ``BN`` is
            refused (it breaks the per-sample gradient penalty).

    Shape:
        ``(N, in_channels, in_size, in_size) -> (N, 1)``.
    """

    def __init__(self,
                 in_size: int = 128,
                 in_channels: int = 3,
                 base_channels: int = 64,
                 max_channels: int = 1024,
                 norm_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        log_size = log2_of_power_of_two(in_size, 'in_size', minimum=8)
        if norm_cfg is not None and 'BN' in norm_cfg.get('type', ''):
            raise ValueError('batch norm mixes samples, which breaks the per-sample gradient '
                             'penalty of WGAN-GP; use norm_cfg=None or GN')
        self.in_size = in_size
        act = dict(type='LeakyReLU', negative_slope=0.2)
        layers, in_ch = [], in_channels
        for i in range(log_size - 2):
            out_ch = min(base_channels * 2**i, max_channels)
            layers.append(ConvModule(in_ch, out_ch, 4, stride=2, padding=1,
                                     norm_cfg=None if i == 0 else norm_cfg, act_cfg=act))
            in_ch = out_ch
        self.convs = nn.Sequential(*layers)
        self.fc = nn.Linear(in_ch * FIRST_MAP_SIZE**2, 1)

    def forward(self, x: Tensor) -> Tensor:
        if x.shape[-2:] != (self.in_size, self.in_size):
            raise ValueError(f'expected {self.in_size}x{self.in_size} images, got '
                             f'{tuple(x.shape[-2:])}')
        return self.fc(self.convs(x).flatten(1))
