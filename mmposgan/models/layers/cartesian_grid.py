"""Cartesian spatial grid (CSG), paper §3.4, Eq. (6)-(7)."""
from typing import Tuple

import torch
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import Size
from .positional_head import PositionalHead


def cartesian_axes(pos_h: Tensor, pos_w: Tensor, base_size: Size) -> Tuple[Tensor, Tensor]:
    """``(y, x)`` grids ``(H, W)``: ``2 p / (base - 1) - 1`` along each axis."""
    y = 2 * pos_h / max(base_size[0] - 1, 1) - 1
    x = 2 * pos_w / max(base_size[1] - 1, 1) - 1
    return torch.meshgrid(y, x, indexing='ij')


class CartesianGridBase(PositionalHead):
    """Base of the two-channel grids of Eq. 6; subclasses choose the channel order.

    Args:
        base_size (int | tuple | None): Size the grid is defined at.
        resize (str): ``'interp'`` or ``'expand'``.
    """

    channels_configurable = False

    def __init__(self, base_size=None, resize: str = 'interp'):
        super().__init__(2, base_size, resize)


@MODELS.register_module()
class CartesianGrid2d(CartesianGridBase):
    """Normalised two-channel Cartesian grid (Eq. 6).

    ``P(i, j) = [y_i, x_j]`` with ``y_i = 2 i / (H - 1) - 1`` and
    ``x_j = 2 j / (W - 1) - 1`` on the base grid, so the top-left corner is
    exactly ``[-1, -1]``, the bottom-right ``[1, 1]`` and the centre ``0``
    (an exact grid value when the side is odd).  This is Eq. 6 with the
    corners pinned to ``±1`` as the paper states; the literal
    ``2 (i/H - 1/2)`` would leave the last corner at ``1 - 2/H``.  Channel 0
    is the height (row) coordinate, channel 1 the width (column) coordinate.

    Resize modes (Tab. 1): ``'interp'`` (default, the paper's choice) keeps
    the anchors and shrinks the spacing ``2/(H-1)`` as the grid grows;
    ``'expand'`` keeps the spacing and extends the grid beyond ``±1``.

    Args:
        base_size (int | tuple | None): Size the grid is defined at.
        resize (str): ``'interp'`` or ``'expand'``.

    Shape:
        ``forward(N, (H, W)) -> (N, 2, H, W)``.
    """

    def encode(self, pos_h: Tensor, pos_w: Tensor, base_size: Size) -> Tensor:
        return torch.stack(cartesian_axes(pos_h, pos_w, base_size), 0).float()
