"""2-D sinusoidal positional encoding (SPE), paper §3.4, Eq. (8)-(9)."""
import math

import torch
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import Size
from .positional_head import PositionalHead


def sinusoid(pos: Tensor, dim: int) -> Tensor:
    """Eq. 8 along one axis: ``(dim, L)`` rows ``sin(w_k p), cos(w_k p)``, float64.

    ``w_k = 1 / 10000^(2k/d)`` with ``d = dim``, pairs interleaved:
    ``[sin(w_0 p), cos(w_0 p), sin(w_1 p), cos(w_1 p), ...]``.
    """
    k = torch.arange(dim // 2, dtype=torch.float64)
    omega = torch.exp(-math.log(10000.0) * 2 * k / dim)
    arg = omega[:, None] * pos[None]
    return torch.stack([arg.sin(), arg.cos()], 1).reshape(dim, -1)


@MODELS.register_module()
class SinusoidalEncoding2d(PositionalHead):
    """Sinusoidal positional encoding in height and width (Eq. 8).

    The ``C`` channels are split in a height half and a width half; each half
    holds ``sin(w_k p), cos(w_k p)`` for ``w_k = 1 / 10000^(2k/d)``, ``d = C/2``.
    The transformation between positions only depends on their offset
    (Eq. 9), so ``'expand'`` (the default, Tab. 1) grows the space while
    keeping unit spacing between neighbouring positions.  Positions are
    centred: the base grid occupies ``0 .. base-1`` and extra rows/columns are
    added symmetrically on both sides, so a larger canvas extends the scene
    around its centre and multi-scale samples stay aligned (Fig. 4(d)).

    The released mmagic checkpoints use another layout:
    :class:`~mmposgan.models.layers.release_compat.MMagicSinusoidalEncoding2d`.

    Args:
        out_channels (int): Total channels ``C`` (divisible by 4).
        base_size (int | tuple | None): Size the encoding is defined at.
        resize (str): ``'expand'`` (default) or ``'interp'``.

    Shape:
        ``forward(N, (H, W)) -> (N, C, H, W)``.
    """

    def __init__(self, out_channels: int = 8, base_size=None, resize: str = 'expand'):
        super().__init__(out_channels, base_size, resize)
        if out_channels % 4 != 0:
            raise ValueError(f'{type(self).__name__} needs out_channels divisible by 4 '
                             f'(a sin/cos pair per frequency and axis), got {out_channels}')

    def encode(self, pos_h: Tensor, pos_w: Tensor, base_size: Size) -> Tensor:
        dim = self.out_channels // 2
        emb_h, emb_w = sinusoid(pos_h, dim), sinusoid(pos_w, dim)  # (d, H), (d, W)
        h, w = emb_h.shape[1], emb_w.shape[1]
        return torch.cat([emb_h[:, :, None].expand(dim, h, w),
                          emb_w[:, None, :].expand(dim, h, w)], 0).float()
