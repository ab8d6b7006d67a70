"""StyleGAN2's modulated convolution with a padding mode and an upsampling mode."""
import math
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmposgan.registry import MODELS
from .blur import Blur
from .equalized import EqualLinear
from .padding import InterpPad, build_padding

UPSAMPLE_MODES = (None, 'transposed', 'bilinear', 'conv_bilinear')


@MODELS.register_module()
class ModulatedConv2dPE(nn.Module):
    """Modulated, demodulated conv (StyleGAN2, Karras et al. 2020, Eq. 1-3).

    ``w'_ijk = s_i w_ijk``, ``w''_ijk = w'_ijk / sqrt(sum_ik w'^2 + eps)``.
    The modulation is applied to the activations (``x * s``, one shared conv,
    then ``* demod``), which equals the per-sample grouped conv of the
    reference implementations and runs as a single dense conv.

    Upsampling (``upsample``):

    * ``None``: stride-1 conv; its border follows ``padding``.
    * ``'transposed'``: stride-2 transposed conv and a ``[1, 3, 3, 1]`` blur,
      as StyleGAN2.  Its zero padding is implicit and cannot be removed
      (App. A.5), so it requires ``ZeroPadConv``.
    * ``'bilinear'``: bilinear 2x upsampling then the conv (Tab. 2(b));
      with ``InterpPad`` the map is interpolated straight to ``2H + k - 1``
      and the conv is valid (padding-free, §4.1).
    * ``'conv_bilinear'``: the conv at the input resolution, then bilinear
      2x upsampling (``align_corners=True``), as mmagic's MS-PIE configs with
      padding (``deconv2conv`` + ``up_after_conv``), for their checkpoints.

    Args:
        in_channels (int): ``C_in``.
        out_channels (int): ``C_out``.
        kernel_size (int): ``k`` (odd).
        style_channels (int): Dimension of the style vector ``w``.
        demodulate (bool): Weight demodulation.
        upsample (str | None): See above.
        padding (dict | str): Padding mode (``ZeroPadConv``, ``InterpPad``;
            ``NoPad`` shrinks the output by ``k - 1``).
        blur_kernel (list[float]): Taps of the blur after a transposed conv.
        eps (float): Demodulation epsilon.

    Shape:
        ``(N, C_in, H, W), (N, style_channels) -> (N, C_out, H', W')`` with
        ``H' = H`` (or ``2H`` when upsampling).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int,
                 style_channels: int, demodulate: bool = True, upsample: Optional[str] = None,
                 padding='ZeroPadConv', blur_kernel: Sequence[float] = (1, 3, 3, 1),
                 eps: float = 1e-8):
        super().__init__()
        if upsample not in UPSAMPLE_MODES:
            raise ValueError(f'upsample must be one of {UPSAMPLE_MODES}, got {upsample!r}')
        self.padding = build_padding(padding)
        if upsample == 'transposed' and self.padding.is_padding_free:
            raise ValueError("a transposed conv zero-pads implicitly (App. A.5): use "
                             "upsample='bilinear' with a padding-free mode")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = kernel_size
        self.upsample = upsample
        self.demodulate = demodulate
        self.eps = eps
        self.style_modulation = EqualLinear(style_channels, in_channels, bias_init=1.0)
        self.weight = nn.Parameter(torch.randn(1, out_channels, in_channels, kernel_size,
                                               kernel_size))
        self.scale = 1 / math.sqrt(in_channels * kernel_size**2)
        self.shrink = kernel_size // 2
        if upsample == 'transposed':
            p = (len(blur_kernel) - 2) - (kernel_size - 1)
            self.blur = Blur(blur_kernel, ((p + 1) // 2 + 1, p // 2 + 1), gain=4)

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
        if self.upsample == 'transposed':
            out = F.conv_transpose2d(x, weight.transpose(0, 1).to(x.dtype), stride=2)
            out = self.blur(out)
        else:
            if self.upsample == 'bilinear':
                up = (x.shape[2] * 2, x.shape[3] * 2)
                if isinstance(self.padding, InterpPad):  # one interpolation to the padded size
                    x = self.padding.resize(x, self.padding.input_size(up, self.shrink))
                else:
                    x = F.interpolate(x, size=up, mode='bilinear', align_corners=False)
                    x = self.padding.pad_input(x, self.shrink)
            else:
                x = self.padding.pad_input(x, self.shrink)
            out = F.conv2d(x, weight.to(x.dtype), padding=self.padding.conv_padding(self.kernel_size))
            if self.upsample == 'conv_bilinear':
                out = F.interpolate(out, scale_factor=2, mode='bilinear', align_corners=True)
        if not self.demodulate:
            return out, None
        # sum_{i,k} (s_i w_oik)^2 = (sum_k w_oik^2) @ s_i^2
        demod = torch.rsqrt(s.pow(2) @ weight.pow(2).sum((2, 3)).t() + self.eps)  # (N, C_out)
        return out, demod.view(n, -1, 1, 1).to(out.dtype)
