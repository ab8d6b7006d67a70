"""Periodic positional encoding: position on a circle, for seamless outputs."""
import math

import torch
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import Size
from .periodic import WRAP_AXES, check_axes
from .positional_head import PositionalHead


def circle_harmonics(length: int, num_freqs: int, turn: float) -> Tensor:
    """``(2 K, L)`` rows ``sin(k theta_p), cos(k theta_p)``, ``k = 1..K``, float64.

    ``theta_p = turn * (p + 1/2) / L`` for the ``L`` positions ``p``:
    ``turn = 2 pi`` puts them on a full circle (the last next to the first),
    ``turn = pi`` on a half circle (the two ends apart).
    """
    theta = turn * (torch.arange(length, dtype=torch.float64) + 0.5) / length
    k = torch.arange(1, num_freqs + 1, dtype=torch.float64)
    arg = k[:, None] * theta[None]
    return torch.stack([arg.sin(), arg.cos()], 1).reshape(2 * num_freqs, length)


@MODELS.register_module()
class PeriodicEncoding2d(PositionalHead):
    """Sinusoids whose period is the size they are produced at: position on a circle.

    The companion of the circular padding modes (``CircularPad``,
    ``CircularInterpPad``) for seamless outputs.  Like
    :class:`~.sinusoidal.SinusoidalEncoding2d` (Eq. 8) the ``C`` channels are
    a height half and a width half of ``sin, cos`` pairs, but the frequencies
    are the harmonics ``k = 1 .. C/4`` of the map's own length ``L``: along a
    wrapped axis ``theta_p = 2 pi (p + 1/2) / L``, so the last position is
    the neighbour of the first exactly as any two neighbours are (the
    encoding has no seam); along an axis that does not wrap
    ``theta_p = pi (p + 1/2) / L`` (a half circle: top and bottom of a
    panorama stay apart, ``cos theta`` runs from 1 to -1 like a Cartesian
    coordinate).

    The encoding is produced at the requested size directly (resize mode
    ``'periodic'``): a larger canvas is the same circle sampled more
    finely, so a panorama 3x as wide as the training images is one turn
    around the viewer, not three.  Harmonics above ``L / 2`` alias to lower
    ones on ``L`` samples (they repeat their pattern, with a sign).

    Args:
        out_channels (int): Total channels ``C`` (divisible by 4).
        axes (str): Wrapped axes: ``'x'`` (panorama), ``'y'`` or ``'xy'``
            (tileable texture).
        base_size (int | tuple | None): Size the generator defines the head
            at (kept for the generator's checks; the period follows the
            requested size).
        resize (str): ``'periodic'`` (the only mode).

    Shape:
        ``forward(N, (H, W)) -> (N, C, H, W)``.
    """

    supported_resize = ('periodic', )

    def __init__(self, out_channels: int = 8, axes: str = 'x', base_size=None,
                 resize: str = 'periodic'):
        super().__init__(out_channels, base_size, resize)
        if out_channels % 4 != 0:
            raise ValueError(f'{type(self).__name__} needs out_channels divisible by 4 '
                             f'(a sin/cos pair per harmonic and axis), got {out_channels}')
        self.wrap_axes = check_axes(axes, type(self).__name__)

    def build(self, size: Size, base_size: Size) -> Tensor:
        num_freqs = self.out_channels // 4
        h, w = size
        turn_h, turn_w = (2 * math.pi if dim in WRAP_AXES[self.wrap_axes] else math.pi
                          for dim in (2, 3))
        emb_h = circle_harmonics(h, num_freqs, turn_h)  # (C/2, H)
        emb_w = circle_harmonics(w, num_freqs, turn_w)  # (C/2, W)
        dim = self.out_channels // 2
        return torch.cat([emb_h[:, :, None].expand(dim, h, w),
                          emb_w[:, None, :].expand(dim, h, w)], 0).float()

    def extra_repr(self) -> str:
        return super().extra_repr() + f', axes={self.wrap_axes!r}'
