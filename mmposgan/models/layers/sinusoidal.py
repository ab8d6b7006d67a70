"""2-D sinusoidal positional encoding (SPE), paper §3.4, Eq. (8)-(9)."""
import math

import torch
from torch import Tensor

from mmposgan.registry import MODELS
from .positional_head import PositionalHead, Size

CONVENTIONS = ('paper', 'mmagic')


def sinusoid(pos: Tensor, dim: int, convention: str, div_half_dim: bool) -> Tensor:
    """1-D encoding ``(dim, L)`` of positions ``pos`` (``L``,), float64."""
    half = dim // 2
    k = torch.arange(half, dtype=torch.float64)
    if convention == 'paper':
        # omega_k = 1 / 10000^(2k/d), d = dim (one axis' share of channels).
        omega = torch.exp(-math.log(10000.0) * 2 * k / dim)
        arg = omega[:, None] * pos[None]
        # [sin(w0 p), cos(w0 p), sin(w1 p), cos(w1 p), ...]
        return torch.stack([arg.sin(), arg.cos()], 1).reshape(dim, -1)
    # mmagic / fairseq: omega_k = exp(-k log(1e4) / (half - 1)) (or / half),
    # all sines first, then all cosines; computed in float32 as mmagic does,
    # so that converted checkpoints see bit-identical inputs.
    denom = half if div_half_dim else max(half - 1, 1)
    omega = torch.exp(k.float() * -(math.log(10000.0) / denom))
    arg = pos.float()[:, None] * omega[None]
    return torch.cat([arg.sin(), arg.cos()], 1).t()


@MODELS.register_module()
class SinusoidalEncoding2d(PositionalHead):
    """Sinusoidal positional encoding in height and width (Eq. 8).

    The ``C`` channels are split in a height half and a width half; each half
    holds ``sin(w_k p), cos(w_k p)`` for ``w_k = 1 / 10000^(2k/d)``, ``d = C/2``.
    The transformation between positions only depends on their offset
    (Eq. 9), so ``'expand'`` (the default, Tab. 1) grows the space while
    keeping unit spacing between neighbouring positions.

    Position conventions:

    * ``'paper'`` (default): positions are centred, the base grid occupying
      ``0 .. base-1`` and extra rows/columns added symmetrically on both
      sides.  Sampling a larger canvas therefore extends the scene around
      its centre, which keeps multi-scale samples aligned; this is why it
      is the default.  Channel layout as Eq. 8 (height half first,
      interleaved sin/cos).
    * ``'mmagic'``: reproduces mmagic's ``SPE2d`` bit for bit, for the
      released checkpoints: positions always run ``1 .. W`` from the
      top-left corner whatever the size (its ``center_shift`` has no effect),
      width half first, all sines then all cosines, ``w_k =
      exp(-k log(1e4) / (d/2 - 1))`` (``/ (d/2)`` with ``div_half_dim``).
      With ``resize='expand'`` ``base_size`` is ignored: the grid always
      grows to the right and bottom, as it did in training.  With
      ``resize='interp'`` the ``1 .. base`` grid is built and bilinearly
      resized (mmagic's ``interp_head=True``, Tab. 5 configs e and j).

    Args:
        out_channels (int): Total channels ``C`` (divisible by 4).
        base_size (int | tuple | None): Size the encoding is defined at.
        resize (str): ``'expand'`` (default) or ``'interp'``.
        convention (str): ``'paper'`` or ``'mmagic'`` (see above).
        div_half_dim (bool): ``mmagic`` convention only (see above).

    Shape:
        ``forward(N, (H, W)) -> (N, C, H, W)``.
    """

    def __init__(self, out_channels: int = 8, base_size=None, resize: str = 'expand',
                 convention: str = 'paper', div_half_dim: bool = False):
        super().__init__(out_channels, base_size, resize)
        if out_channels % 4 != 0:
            raise ValueError('SinusoidalEncoding2d needs out_channels divisible by 4 '
                             f'(a sin/cos pair per frequency and axis), got {out_channels}')
        if convention not in CONVENTIONS:
            raise ValueError(f'convention must be one of {CONVENTIONS}, got {convention!r}')
        if div_half_dim and convention != 'mmagic':
            raise ValueError("div_half_dim only applies to convention='mmagic'")
        self.convention = convention
        self.div_half_dim = div_half_dim

    def build(self, size: Size, base_size: Size) -> Tensor:
        if self.convention == 'mmagic':
            pos_h = torch.arange(1, size[0] + 1, dtype=torch.float64)
            pos_w = torch.arange(1, size[1] + 1, dtype=torch.float64)
            return self.encode(pos_h, pos_w, base_size)
        return super().build(size, base_size)

    def forward(self, num_batches: int = 1, size=None, base_size=None) -> Tensor:
        if self.convention == 'mmagic' and self.resize == 'expand':
            size = size if size is not None else (base_size or self.base_size)
            base_size = size
        return super().forward(num_batches, size, base_size)

    def encode(self, pos_h: Tensor, pos_w: Tensor, base_size: Size) -> Tensor:
        dim = self.out_channels // 2
        emb_h = sinusoid(pos_h, dim, self.convention, self.div_half_dim)  # (d, H)
        emb_w = sinusoid(pos_w, dim, self.convention, self.div_half_dim)  # (d, W)
        h, w = emb_h.shape[1], emb_w.shape[1]
        grid_h = emb_h[:, :, None].expand(dim, h, w)
        grid_w = emb_w[:, None, :].expand(dim, h, w)
        halves = (grid_h, grid_w) if self.convention == 'paper' else (grid_w, grid_h)
        return torch.cat(halves, 0).float()

    def extra_repr(self) -> str:
        return super().extra_repr() + f', convention={self.convention!r}'
