"""StyleGAN2 synthesis blocks: styled conv with noise injection, and toRGB."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from ..layers.equalized import SQRT2
from ..layers.modulated_conv import ModulatedConv2dPE
from ..layers.upsampling import build_skip_upsampling


class StyleConv(nn.Module):
    """Modulated conv, per-pixel noise ``* strength``, bias + LeakyReLU.

    ``sqrt2 * leaky_relu(conv * demod + strength * noise + bias)`` is computed as
    ``leaky_relu_(addcmul(sqrt2 * bias, conv, sqrt2 * demod) + sqrt2 * strength * noise)``
    (LeakyReLU is positively homogeneous): three passes over the feature map instead
    of five, the scalings applied to the small tensors.

    Args:
        in_channels, out_channels, style_channels, kernel_size, upsample,
        padding, border: As :class:`ModulatedConv2dPE`.

    Shape:
        ``(N, C_in, H, W), (N, S) -> (N, C_out, H', W')`` (see
        :class:`ModulatedConv2dPE`).
    """

    def __init__(self, in_channels, out_channels, style_channels, kernel_size=3, upsample=None,
                 padding='ZeroPadConv', border=None):
        super().__init__()
        self.conv = ModulatedConv2dPE(in_channels, out_channels, kernel_size, style_channels,
                                      upsample=upsample, padding=padding, border=border)
        self.noise_strength = nn.Parameter(torch.zeros(1))
        self.bias = nn.Parameter(torch.zeros(out_channels))

    def forward(self, x: Tensor, style: Tensor, noise: Optional[Tensor] = None,
                add_noise: bool = True) -> Tensor:
        out, demod = self.conv.conv_and_demod(x, style)
        bias = (self.bias * SQRT2).to(out.dtype).view(1, -1, 1, 1)
        out = torch.addcmul(bias, out, demod * SQRT2)  # the conv always demodulates
        if add_noise:
            if noise is None:
                noise = out.new_empty(out.shape[0], 1, *out.shape[2:]).normal_()
            out = out.add_(noise * (self.noise_strength * SQRT2).to(out.dtype))
        return F.leaky_relu(out, 0.2, inplace=True)


class ToRGB(nn.Module):
    """1x1 modulated conv to RGB (no demodulation) plus the upsampled skip.

    Args:
        in_channels (int): Feature channels.
        style_channels (int): Style dimension.
        skip_upsample (dict | str | None): ``SkipUpsampling`` of the previous
            RGB image (``FIRUpsample``: StyleGAN2's zero-padded FIR filter;
            ``BilinearUpsample``: no padding); None for the first ToRGB.
        out_channels (int): Image channels.

    Shape:
        ``(N, C, 2H, 2W), (N, S), (N, 3, H, W) -> (N, 3, 2H, 2W)``.
    """

    def __init__(self, in_channels, style_channels, skip_upsample=None, out_channels: int = 3):
        super().__init__()
        self.conv = ModulatedConv2dPE(in_channels, out_channels, 1, style_channels,
                                      demodulate=False)
        self.bias = nn.Parameter(torch.zeros(1, out_channels, 1, 1))
        self.upsample = None if skip_upsample is None else build_skip_upsampling(skip_upsample)

    def forward(self, x: Tensor, style: Tensor, skip: Optional[Tensor] = None) -> Tensor:
        out = self.conv(x, style) + self.bias
        if skip is not None:
            if self.upsample is None:
                raise ValueError('this ToRGB has no skip_upsample: it is the first one')
            out = out + self.upsample(skip)
        return out
