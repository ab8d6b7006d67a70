"""The circular padding modes: seamless outputs (360-degree panoramas, tileable textures).

See :mod:`.padding` for what a padding mode is and :mod:`.periodic` for the
wrapped border and the periodic resampling they use.
"""
from typing import List, Sequence

import torch.nn as nn
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import Size, to_size
from .padding import PaddingMode
from .periodic import WRAP_AXES, check_axes, pad_dims, periodic_resize, wrap_pad


class _WrappedBorder(PaddingMode):
    """Base of the circular modes: the border of a wrapped axis is its opposite edge.

    The convs are valid; :meth:`prepare` resamples the map to the output size
    (periodically along the wrapped axes, :func:`.periodic.periodic_resize`)
    and wraps ``shrink`` pixels around each wrapped axis, so that a stack is
    a circular convolution along it and the output is one period of a
    periodic image: its opposite edges join without a seam.

    Wrapping once per stack equals wrapping before every conv when only
    pointwise layers sit between the convs (SinGAN's stage: BN in eval mode,
    LeakyReLU); :meth:`stack_borders` wraps before every conv a generator
    lets it, so that StyleGAN2's per-pixel noise, added between the convs,
    is the same on both sides of the seam.

    Args:
        axes (str): ``'x'`` (left and right edges join: a 360-degree
            panorama), ``'y'`` or ``'xy'`` (a tileable texture).
    """

    wraps = True
    prepares_border = True

    def __init__(self, axes: str = 'x'):
        super().__init__()
        self.wrap_axes = check_axes(axes, type(self).__name__)
        self.wrap_dims = WRAP_AXES[axes]
        self.other_dims = tuple(d for d in (2, 3) if d not in self.wrap_dims)

    def stack_borders(self, shrinks: Sequence[int]) -> List[int]:
        return list(shrinks)

    def resize(self, x: Tensor, size, mode: str = 'bilinear', align_corners: bool = False):
        if tuple(x.shape[-2:]) == tuple(size):
            return x
        return periodic_resize(x, size, self.wrap_axes, mode, align_corners)

    def fit_resampler(self, module: nn.Module) -> nn.Module:
        return module.wrapped(self.wrap_axes)

    def extra_repr(self) -> str:
        return f'axes={self.wrap_axes!r}'


@MODELS.register_module()
class CircularPad(_WrappedBorder):
    """Seamless: the opposite edge along the wrapped axes, zeros along the others.

    The circular counterpart of the zero-padding modes (``ZeroPadConv``,
    ``ZeroPadInput``): with ``axes='x'`` the top and bottom borders are
    zero-padded at each stack input (which keeps the vertical sense of
    position of zero padding: sky at the top of a panorama), with
    ``axes='xy'`` no zero enters at all.  Resampling is bilinear
    (``align_corners=False``) along the axes that do not wrap.

    Args:
        axes (str): ``'x'``, ``'y'`` or ``'xy'``.

    Shape: ``prepare``: ``(N, C, h, w) -> (N, C, H_out + 2s, W_out + 2s)``.
    """

    pads_input = True  # along the axes that do not wrap

    def __init__(self, axes: str = 'x'):
        super().__init__(axes)
        if not self.other_dims:  # every axis wraps: no zero anywhere
            self.pads_input, self.is_padding_free = False, True

    def prepare(self, x: Tensor, out_size, shrink: int) -> Tensor:
        return wrap_pad(self.resize(x, to_size(out_size)), shrink, self.wrap_axes)

    def wrapped(self, axes: str) -> PaddingMode:
        return CircularPad(axes)


@MODELS.register_module()
class CircularInterpPad(_WrappedBorder):
    """Seamless and padding-free: the opposite edge along the wrapped axes, the map
    interpolated larger along the others (as :class:`InterpPad`, §4.1).

    The circular counterpart of ``InterpPad``: along an axis that does not
    wrap the map is produced (:meth:`source_size`) or interpolated
    (``mode``, ``align_corners``) to ``out + 2s``; along a wrapped axis it is
    resampled periodically to ``out`` and ``s`` pixels of the opposite edge
    are added on each side.  No zero ever enters a conv.

    Args:
        axes (str): ``'x'``, ``'y'`` or ``'xy'``.
        mode (str): Interpolation along the axes that do not wrap (and the
            periodic resampling): ``'bilinear'`` or ``'bicubic'``.
        align_corners (bool): Along the axes that do not wrap.

    Shape: ``prepare``: ``(N, C, h, w) -> (N, C, H_out + 2s, W_out + 2s)``.
    """

    is_padding_free = True

    def __init__(self, axes: str = 'x', mode: str = 'bilinear', align_corners: bool = True):
        super().__init__(axes)
        if mode not in ('bilinear', 'bicubic'):
            raise ValueError(f"CircularInterpPad mode must be 'bilinear' or 'bicubic', got "
                             f'{mode!r}')
        self.mode, self.align_corners = mode, align_corners

    def source_size(self, out_size, shrink: int) -> Size:
        size = to_size(out_size)
        return tuple(n if dim in self.wrap_dims else n + 2 * shrink
                     for dim, n in zip((2, 3), size))

    def prepare(self, x: Tensor, out_size, shrink: int) -> Tensor:
        x = self.resize(x, self.source_size(out_size, shrink), self.mode, self.align_corners)
        return pad_dims(x, shrink, self.wrap_dims, 'circular')

    def wrapped(self, axes: str) -> PaddingMode:
        return CircularInterpPad(axes, self.mode, self.align_corners)

    def extra_repr(self) -> str:
        return (f'axes={self.wrap_axes!r}, mode={self.mode!r}, '
                f'align_corners={self.align_corners}')
