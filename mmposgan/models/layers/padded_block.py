"""Run an existing conv block on an input prepared by a padding mode (paper §4.1, App. C).

Used to make a generator built from someone else's conv modules (mmagic's
PGGAN blocks) padding-free without rewriting them: the block's convs are
built with ``padding=0`` and this wrapper enlarges their input first.
"""
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from .padding import InterpPad, PaddingMode


def check_size_preserving(padding: PaddingMode, owner: str) -> None:
    """Raise unless ``padding`` keeps every block's size: ``ZeroPadConv`` or ``InterpPad``.

    Args:
        padding (PaddingMode): The mode to check.
        owner (str): Who asks, for the message.

    Raises:
        ValueError: Another pre-padding mode (e.g. SinGAN's ``ZeroPadHead``,
            ``BlockInterpPad``) or ``NoPad`` (valid convs shrink the map).
    """
    if padding.pre_pad and type(padding) is not InterpPad:
        raise ValueError(f'{owner} supports ZeroPadConv or InterpPad, got '
                         f'{type(padding).__name__}')
    if not padding.pads_convs and not padding.pre_pad:
        raise ValueError(f'{owner} keeps every block\'s size; NoPad (valid convs that shrink the '
                         'map) is not a padding mode for it, use InterpPad for padding-free')


class PaddedBlock(nn.Module):
    """Optional upsampling, then the padding mode's input preparation, then ``block``.

    With ``InterpPad`` the map is interpolated in one step from ``H`` to
    ``scale_factor * H + 2 * shrink`` so that the block's valid convs return
    ``scale_factor * H`` ("interpolate a feature map to a larger size
    covering the extra padding size", §4.1); no zero ever enters a conv.
    With ``ZeroPadConv`` the wrapper only upsamples (bilinear) and the
    block's convs pad themselves.

    Args:
        block (nn.Module): A stride-1 conv block whose convs remove
            ``shrink`` pixels per side when built with the padding mode's
            ``conv_padding`` (``0`` for ``InterpPad``).
        padding (PaddingMode): ``ZeroPadConv`` or ``InterpPad``.
        shrink (int): Pixels per side the block removes without padding
            (``1`` for one 3x3 conv).
        scale_factor (int): Upsampling factor applied first (1: none).

    Shape:
        ``(N, C_in, H, W) -> (N, C_out, scale_factor * H, scale_factor * W)``.
    """

    def __init__(self, block: nn.Module, padding: PaddingMode, shrink: int = 1,
                 scale_factor: int = 1):
        super().__init__()
        if not isinstance(padding, PaddingMode):
            raise ValueError(f'padding must be a PaddingMode, got {type(padding).__name__}')
        check_size_preserving(padding, 'PaddedBlock')
        if scale_factor < 1 or shrink < 0:
            raise ValueError(f'need scale_factor >= 1 and shrink >= 0, got {scale_factor}, '
                             f'{shrink}')
        self.block = block
        self.padding = padding
        self.shrink = shrink
        self.scale_factor = scale_factor

    def forward(self, x: Tensor, **kwargs) -> Tensor:
        h, w = x.shape[-2:]
        size = (h * self.scale_factor, w * self.scale_factor)
        if isinstance(self.padding, InterpPad):
            x = self.padding.resize(x, self.padding.input_size(size, self.shrink))
        elif self.scale_factor != 1:
            x = F.interpolate(x, size=size, mode='bilinear', align_corners=False)
        return self.block(x, **kwargs)

    def extra_repr(self) -> str:
        return f'shrink={self.shrink}, scale_factor={self.scale_factor}'
