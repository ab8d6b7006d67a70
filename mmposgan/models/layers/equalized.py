"""Equalized-learning-rate linear layer and fused bias + LeakyReLU (StyleGAN2).

Plain PyTorch: on CPU this avoids mmcv's slow reference fallbacks of
``fused_bias_leakyrelu``; on GPU the element-wise ops fuse well enough.
The parameterisation matches mmagic's ``EqualLinearActModule`` (weight
``randn / lr_mul`` scaled by ``lr_mul / sqrt(fan_in)`` at run time, bias
scaled by ``lr_mul``), so converted checkpoints load one to one.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

SQRT2 = math.sqrt(2.0)


def bias_leaky_relu(x: Tensor, bias: Tensor, negative_slope: float = 0.2,
                    scale: float = SQRT2) -> Tensor:
    """``leaky_relu(x + bias) * sqrt(2)``, bias broadcast over dim 1."""
    shape = (1, -1) + (1, ) * (x.dim() - 2)
    return F.leaky_relu(x + bias.view(shape), negative_slope) * scale


def pixel_norm(x: Tensor, eps: float = 1e-8) -> Tensor:
    """Normalise each latent to unit average square (StyleGAN's ``PixelNorm``)."""
    return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + eps)


class EqualLinear(nn.Module):
    """Linear layer with equalized learning rate.

    Args:
        in_features (int): Input features.
        out_features (int): Output features.
        bias_init (float): Initial bias (1 for style modulation).
        lr_mul (float): Learning-rate multiplier (0.01 in the mapping MLP).
        activate (bool): Apply :func:`bias_leaky_relu`.

    Shape:
        ``(N, in_features) -> (N, out_features)``.
    """

    def __init__(self, in_features: int, out_features: int, bias_init: float = 0.,
                 lr_mul: float = 1., activate: bool = False):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features).div_(lr_mul))
        self.bias = nn.Parameter(torch.full((out_features, ), float(bias_init)))
        self.scale = lr_mul / math.sqrt(in_features)
        self.lr_mul = lr_mul
        self.activate = activate

    def forward(self, x: Tensor) -> Tensor:
        if self.activate:
            return bias_leaky_relu(F.linear(x, self.weight * self.scale), self.bias * self.lr_mul)
        return F.linear(x, self.weight * self.scale, self.bias * self.lr_mul)

    def extra_repr(self) -> str:
        out_f, in_f = self.weight.shape
        return f'{in_f}, {out_f}, lr_mul={self.lr_mul}, activate={self.activate}'
