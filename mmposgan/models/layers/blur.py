"""FIR filtering with a separable binomial kernel (StyleGAN2's ``upfirdn2d``).

Depthwise ``conv2d`` / ``conv_transpose2d`` in plain PyTorch; equal to
mmcv's ``upfirdn2d`` for the symmetric kernels StyleGAN2 uses
(``tests/models/generators/test_stylegan2_modules.py`` compares them).
"""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


def make_kernel(taps: Sequence[float]) -> Tensor:
    """Normalised 2-D kernel ``outer(k, k) / sum`` from 1-D taps."""
    k = torch.tensor(taps, dtype=torch.float32)
    k = k[None, :] * k[:, None] if k.dim() == 1 else k
    return k / k.sum()


def check_upsampling_taps(taps: Sequence[float], owner: str) -> Tuple[float, ...]:
    """``taps`` as a tuple, refused unless it has the 2 or more taps a 2x upsampling filters
    with (the padding of the upsampled map is ``len(taps) - 2`` plus the conv's).

    Raises:
        ValueError: Fewer than 2 taps.
    """
    taps = tuple(taps)
    if len(taps) < 2:
        raise ValueError(f'{owner} needs at least 2 filter taps for a 2x upsampling, got {taps}')
    return taps


def fir_filter(x: Tensor, kernel: Tensor, pad: Tuple[int, int], down: int = 1) -> Tensor:
    """Pad by ``(pad0, pad1)`` on both axes, filter depthwise with ``kernel``, keep every
    ``down``-th sample (``upfirdn2d`` with ``up=1``).

    Shape:
        ``(N, C, H, W) -> (N, C, (H + pad0 + pad1 - K) // down + 1, ...)``.
    """
    c = x.shape[1]
    weight = kernel.flip(0, 1).to(x.dtype)[None, None].expand(c, 1, -1, -1)
    p0, p1 = pad
    if p0 == p1 >= 0:  # symmetric: the conv pads, no padded copy of x
        return F.conv2d(x, weight, stride=down, padding=p0, groups=c)
    return F.conv2d(F.pad(x, (p0, p1, p0, p1)), weight, stride=down, groups=c)


class Blur(nn.Module):
    """Pad by ``(pad0, pad1)``, filter with the kernel, keep every ``down``-th sample.

    ``upfirdn2d`` with ``up=1``; the filter is evaluated only where it is kept.

    Args:
        taps (list[float]): 1-D kernel taps, e.g. ``[1, 3, 3, 1]``.
        pad (tuple[int, int]): Padding before and after, on both axes.
        gain (float): Kernel multiplier (``factor ** 2`` after upsampling).
        down (int): Downsampling factor.

    Shape:
        ``(N, C, H, W) -> (N, C, (H + pad0 + pad1 - K) // down + 1, ...)``.
    """

    def __init__(self, taps: Sequence[float], pad: Tuple[int, int], gain: float = 1.0,
                 down: int = 1):
        super().__init__()
        self.register_buffer('kernel', make_kernel(taps) * gain, persistent=False)
        self.pad = tuple(pad)
        self.down = down

    def forward(self, x: Tensor) -> Tensor:
        return fir_filter(x, self.kernel, self.pad, self.down)
