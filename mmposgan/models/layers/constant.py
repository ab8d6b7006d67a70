"""Learnable constant input of StyleGAN2 (paper §3.4)."""
import torch
import torch.nn as nn
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import Size, to_size
from .positional_head import PositionalHead


@MODELS.register_module()
class LearnableConstant(PositionalHead):
    """A learned ``(C, H, W)`` tensor shared by all samples (StyleGAN2's input).

    It is a learned positional encoding without explicit priors (Fig. 4(b)).
    Only the ``'interp'`` resize mode exists: there is nothing to expand.

    Args:
        out_channels (int): Channels ``C``.
        base_size (int | tuple): Its size, ``4`` in StyleGAN2.

    Shape:
        ``forward(N, (H, W)) -> (N, C, H, W)``.
    """

    supported_resize = ('interp', )

    def __init__(self, out_channels: int, base_size=4, resize: str = 'interp'):
        super().__init__(out_channels, to_size(base_size), resize)
        self.weight = nn.Parameter(torch.randn(1, out_channels, *self.base_size))

    def build(self, size: Size, base_size: Size) -> Tensor:
        if size != self.base_size:
            raise ValueError(f'LearnableConstant is {self.base_size}; it can only be '
                             f'interpolated to {size}')
        return self.weight[0]
