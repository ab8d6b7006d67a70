"""StyleGAN2's modulated convolution with a padding mode and an upsampling module."""
import math
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmposgan.registry import MODELS
from .equalized import EqualLinear
from .padding import build_padding
from .upsampling import build_conv_upsampling


@MODELS.register_module()
class ModulatedConv2dPE(nn.Module):
    """Modulated, demodulated conv (StyleGAN2, Karras et al. 2020, Eq. 1-3).

    ``w'_ijk = s_i w_ijk``, ``w''_ijk = w'_ijk / sqrt(sum_ik w'^2 + eps)``.
    The modulation is applied to the activations (``x * s``, one shared conv,
    then ``* demod``), which equals the per-sample grouped conv of the
    reference implementations and runs as a single dense conv.

    A stride-1 conv hands its input to the padding mode first
    (``prepare(x, (H, W), border)``); an upsampling conv hands input, weight,
    padding mode and border to its :class:`~.upsampling.ConvUpsampling`
    (``TransposedConvUp``, ``BilinearThenConv``, ...), which checks at
    construction that it can work with the padding mode.

    Args:
        in_channels (int): ``C_in``.
        out_channels (int): ``C_out``.
        kernel_size (int): ``k`` (odd).
        style_channels (int): Dimension of the style vector ``w``.
        demodulate (bool): Weight demodulation.
        upsample (dict | str | None): A ``ConvUpsampling`` config, or None for
            a stride-1 conv.
        padding (dict | str): Padding mode (``ZeroPadConv``, ``InterpPad``, ...).
        border (int | None): Pixels per side the padding mode prepares before
            this conv: the shrink of the stack this conv starts, ``0`` when it
            continues a stack (see ``PaddingMode.stack_borders``); None: a
            stack of its own (``k // 2``).
        eps (float): Demodulation epsilon.

    Shape:
        ``(N, C_in, H, W), (N, style_channels) -> (N, C_out, H', W')`` with
        ``H' = H`` (``2H`` when upsampling) for size-keeping padding; a valid
        conv continuing a stack returns ``H - k + 1``.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int,
                 style_channels: int, demodulate: bool = True, upsample=None,
                 padding='ZeroPadConv', border: Optional[int] = None, eps: float = 1e-8):
        super().__init__()
        self.upsample = None if upsample is None else build_conv_upsampling(upsample)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = kernel_size
        self.set_padding(padding, border)
        self.demodulate = demodulate
        self.eps = eps
        self.style_modulation = EqualLinear(style_channels, in_channels, bias_init=1.0)
        self.weight = nn.Parameter(torch.randn(1, out_channels, in_channels, kernel_size,
                                               kernel_size))
        self.scale = 1 / math.sqrt(in_channels * kernel_size**2)

    def set_padding(self, padding, border: Optional[int] = None) -> None:
        """Use the padding mode ``padding`` with a prepared ``border`` (see Args).

        Raises:
            ValueError: The upsampling cannot work with ``padding``.
        """
        padding = build_padding(padding)
        if self.upsample is not None:
            self.upsample.check(padding)
        self.padding = padding
        self.conv_padding = padding.conv_padding(self.kernel_size)
        self.border = self.kernel_size // 2 if border is None else border

    def forward(self, x: Tensor, style: Tensor) -> Tensor:
        out, demod = self.conv_and_demod(x, style)
        return out if demod is None else out * demod

    def conv_and_demod(self, x: Tensor, style: Tensor) -> Tuple[Tensor, Optional[Tensor]]:
        """The modulated conv before demodulation, and the demodulation factors.

        Returns ``(out, demod)`` with ``forward(x, style) == out * demod``;
        ``demod`` is ``(N, C_out, 1, 1)`` in ``out``'s dtype, or None without
        demodulation.  A caller that adds a bias next (:class:`StyleConv`)
        fuses both into one ``addcmul`` instead of two passes over ``out``.
        """
        n = x.shape[0]
        s = self.style_modulation(style)  # (N, C_in)
        weight = self.weight[0] * self.scale  # (C_out, C_in, k, k)
        x = x * s[:, :, None, None].to(x.dtype)
        if self.upsample is not None:
            out = self.upsample(x, weight.to(x.dtype), self.padding, self.border)
        else:
            x = self.padding.prepare(x, x.shape[-2:], self.border)
            out = F.conv2d(x, weight.to(x.dtype), padding=self.conv_padding)
        if not self.demodulate:
            return out, None
        # sum_{i,k} (s_i w_oik)^2 = (sum_k w_oik^2) @ s_i^2
        demod = torch.rsqrt(s.pow(2) @ weight.pow(2).sum((2, 3)).t() + self.eps)  # (N, C_out)
        return out, demod.view(n, -1, 1, 1).to(out.dtype)
