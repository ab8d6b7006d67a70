"""One stage (scale) of SinGAN, shared by its generator and discriminator.

A stage is a stack of ``num_layers`` conv-BN-LeakyReLU layers
(:class:`ConvStack`); the channel schedule over stages and the
initialisation of a stage from the previous one are SinGAN's.
"""
from typing import Optional, Union

import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.logging import print_log
from torch import Tensor


def as_cfg(cfg: Union[None, str, dict]) -> Optional[dict]:
    """``'BN' -> dict(type='BN')``; a dict is copied, None stays None."""
    return dict(type=cfg) if isinstance(cfg, str) else (None if cfg is None else dict(cfg))


def stage_channels(stage: int, base_channels: int, min_feat_channels: int, cap: int = 128):
    """SinGAN's channel schedule: double every 4 stages, capped at ``cap``."""
    factor = 2**(stage // 4)
    return min(base_channels * factor, cap), min(min_feat_channels * factor, cap)


def init_from_previous_stage(blocks: nn.ModuleList, stage: int, who: str):
    """Initialise ``blocks[stage]`` from ``blocks[stage - 1]`` when their shapes match.

    SinGAN starts each stage from the previous one; a stage whose channels
    differ (every 4 stages, or the first after a positional head) keeps its
    own initialisation.
    """
    if stage == 0:
        return
    prev, curr = blocks[stage - 1], blocks[stage]
    if (prev.base_channels, prev.in_channels) == (curr.base_channels, curr.in_channels):
        curr.load_state_dict(prev.state_dict())
        print_log(f'{who} stage {stage} initialised from stage {stage - 1}', 'current')
    else:
        print_log(f'{who} stage {stage} keeps its own init: channels differ from stage '
                  f'{stage - 1}', 'current')


class ConvStack(nn.Module):
    """``num_layers`` stride-1 convs: head, ``num_layers - 2`` body layers, tail.

    Channels halve through the body (never below ``min_feat_channels``), as
    in SinGAN.  Parameter names follow mmagic's ``GeneratorBlock`` /
    ``DiscriminatorBlock`` (``head``, ``body.block{i}``, ``tail``), so their
    checkpoints map onto this module one to one.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels of the tail conv.
        base_channels (int): Channels of the head conv.
        min_feat_channels (int): Lower bound of the body channels.
        num_layers (int): Number of convs (>= 3).
        kernel_size (int): Conv kernel size.
        conv_padding (int): Padding of each conv (0: valid convs).
        norm_cfg (dict | str | None): Norm of head and body layers (a type
            name stands for ``dict(type=name)``; None: no norm).
        tail_act_cfg (dict | str | None): Activation of the tail conv.

    Shape:
        ``(N, C_in, H, W) -> (N, C_out, H - 2s, W - 2s)``, ``s = num_layers *
        (kernel_size // 2 - conv_padding)``.
    """

    def __init__(self, in_channels, out_channels, base_channels, min_feat_channels,
                 num_layers=5, kernel_size=3, conv_padding=0,
                 norm_cfg: Union[None, str, dict] = 'BN',
                 tail_act_cfg: Union[None, str, dict] = 'Tanh'):
        super().__init__()
        norm_cfg, tail_act_cfg = as_cfg(norm_cfg), as_cfg(tail_act_cfg)
        if num_layers < 3:
            raise ValueError(f'a SinGAN stage needs at least 3 conv layers, got {num_layers}')
        act = dict(type='LeakyReLU', negative_slope=0.2)
        self.in_channels = in_channels
        self.base_channels = base_channels
        self.shrink = num_layers * (kernel_size // 2 - conv_padding)
        self.head = ConvModule(in_channels, base_channels, kernel_size, padding=conv_padding,
                               norm_cfg=norm_cfg, act_cfg=act)
        self.body = nn.Sequential()
        feat = base_channels
        for i in range(num_layers - 2):
            half = base_channels // 2**(i + 1)
            in_ch, feat = max(2 * half, min_feat_channels), max(half, min_feat_channels)
            self.body.add_module(
                f'block{i + 1}',
                ConvModule(in_ch, feat, kernel_size, padding=conv_padding, norm_cfg=norm_cfg,
                           act_cfg=act))
        self.tail = ConvModule(feat, out_channels, kernel_size, padding=conv_padding,
                               norm_cfg=None, act_cfg=tail_act_cfg)
        self.init_weights()

    def set_conv_padding(self, conv_padding: int) -> None:
        """Let every conv pad ``conv_padding`` pixels (a new padding mode; weights stay)."""
        kernel_size = self.head.conv.kernel_size[0]
        num_layers = 2 + len(self.body)
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                module.padding = (conv_padding, conv_padding)
        self.shrink = num_layers * (kernel_size // 2 - conv_padding)

    def init_weights(self):
        """SinGAN's init: conv weights N(0, 0.02), norm weights 1."""
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.normal_(m.weight, 0, 0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.BatchNorm2d, nn.InstanceNorm2d)) and m.weight is not None:
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x: Tensor) -> Tensor:
        return self.tail(self.body(self.head(x)))
