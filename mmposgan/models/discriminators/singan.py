"""Multi-stage SinGAN discriminator (patch critic), with or without batch norm (App. E.1)."""
from typing import Optional, Union

import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmposgan.registry import MODELS
from ..layers import build_padding, check_padding
from ..layers.singan_stack import ConvStack, init_from_previous_stage, stage_channels


@MODELS.register_module()
class PositionalSinGANDiscriminator(BaseModule):
    """One patch critic per SinGAN stage.

    The paper removes batch norm from the discriminator of the padding-free
    SinGAN (App. E.1, Fig. 18): channel-wise normalisation causes a colour
    shift.  Use ``norm_cfg=None`` for that.

    Args:
        num_scales (int): Index of the last stage.
        in_channels (int): Image channels.
        kernel_size (int): Conv kernel size.
        num_layers (int): Convs per stage.
        base_channels (int): Head channels of stage 0 (doubled every 4 stages).
        min_feat_channels (int): Lower bound of the body channels.
        padding (dict | str): Padding mode of the convs; ``NoPad`` (valid
            convs) as in SinGAN, or ``ZeroPadConv``.
        norm_cfg (dict | str | None): ``dict(type='BN')`` (or ``'BN'``) or ``None`` (no norm).
        init_cfg (dict | None): mmengine init config.

    Shape:
        ``(N, C, H, W) -> (N, 1, H', W')`` with ``H' = H - 2 * num_layers *
        (kernel_size // 2)`` for ``NoPad``, ``H' = H`` for ``ZeroPadConv``.
    """

    def __init__(self, num_scales: int, in_channels: int = 3, kernel_size: int = 3,
                 num_layers: int = 5, base_channels: int = 32, min_feat_channels: int = 32,
                 padding: Union[str, dict] = 'NoPad', norm_cfg: Union[None, str, dict] = 'BN',
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.padding = build_padding(padding)
        check_padding(self.padding, type(self).__name__, prepares_border=False,
                      why='the patch critic runs its convs on the image as it is')
        conv_padding = self.padding.conv_padding(kernel_size)
        self.num_scales = num_scales
        self.blocks = nn.ModuleList()
        for stage in range(num_scales + 1):
            base_ch, min_ch = stage_channels(stage, base_channels, min_feat_channels)
            self.blocks.append(
                ConvStack(in_channels, 1, base_ch, min_ch, num_layers, kernel_size, conv_padding,
                          norm_cfg, tail_act_cfg=None))

    def forward(self, x: Tensor, curr_scale: int) -> Tensor:
        return self.blocks[curr_scale](x)

    def check_and_load_prev_weight(self, curr_scale: int):
        """Initialise stage ``curr_scale`` from the previous one when shapes match."""
        init_from_previous_stage(self.blocks, curr_scale, 'discriminator')
