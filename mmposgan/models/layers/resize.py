"""Upsampling without transposed convolution (paper §4.1, Tab. 2(b), App. A.5)."""

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmposgan.registry import MODELS
from .padding import InterpPad, build_padding


@MODELS.register_module()
class UpsampleConv2d(nn.Module):
    """Bilinear 2x upsampling followed by a ``k x k`` conv.

    Replaces a transposed conv, whose implicit zero padding cannot be removed
    (App. A.5).  The conv's border handling is a padding mode: with
    ``InterpPad`` the feature map is interpolated straight to
    ``2H + k - 1`` so that the valid conv returns ``2H`` and no zero is ever
    seen ("interpolate a feature map to a larger size covering the extra
    padding size", §4.1).

    Args:
        in_channels (int): ``C_in``.
        out_channels (int): ``C_out``.
        kernel_size (int): ``k`` (odd).
        padding (dict | str): Padding mode, default ``ZeroPadConv``.
        scale_factor (int): Upsampling factor, default 2.
        bias (bool): Conv bias.

    Shape:
        ``(N, C_in, H, W) -> (N, C_out, H_out, W_out)`` with ``H_out`` given by
        :meth:`output_size` (``2H`` unless the padding mode is ``NoPad``, then
        ``2H - k + 1``).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3,
                 padding='ZeroPadConv', scale_factor: int = 2, bias: bool = True):
        super().__init__()
        self.padding = build_padding(padding)
        self.shrink = (kernel_size - 1) // 2
        self.scale_factor = scale_factor
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size,
                              padding=self.padding.conv_padding(kernel_size), bias=bias)

    def output_size(self, size):
        h, w = size
        return self.padding.output_size((h * self.scale_factor, w * self.scale_factor), self.shrink)

    def forward(self, x: Tensor) -> Tensor:
        h, w = x.shape[-2:]
        up = (h * self.scale_factor, w * self.scale_factor)
        if isinstance(self.padding, InterpPad):
            # one interpolation straight to the padded size
            x = self.padding.resize(x, self.padding.input_size(up, self.shrink))
        else:
            x = F.interpolate(x, size=up, mode='bilinear', align_corners=False)
            x = self.padding.pad_input(x, self.shrink)
        return self.conv(x)
