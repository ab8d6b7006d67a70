"""Signals on a circle: wrapped borders and periodic resampling (seamless outputs).

An image whose left and right edges join (a 360-degree panorama) or that
tiles in both directions (a texture) is a periodic signal: column ``W`` is
column ``0``.  Convolutions and resampling of such a signal must read past
an edge into the opposite one:

* :func:`wrap_pad` pads the wrapped axes with the opposite edge
  (``F.pad(mode='circular')``) and the other axes with zeros;
* :func:`periodic_resize` resamples a wrapped axis of ``n`` samples to
  ``m`` samples of the same circle: output ``j`` reads the input at
  ``u = (j + 1/2) n / m - 1/2`` with the indices of the interpolation taps
  taken modulo ``n``.  This is ``F.interpolate(align_corners=False)`` on the
  infinitely tiled signal (``align_corners=True`` pins the two ends of a
  segment apart and has no meaning on a circle); the other axes are
  interpolated as ``F.interpolate`` would.

Axes are named ``'x'`` (width), ``'y'`` (height) or ``'xy'``.
"""
from typing import Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

#: Accepted ``axes`` values and the tensor dims (of ``(N, C, H, W)``) they wrap.
WRAP_AXES = {'x': (3, ), 'y': (2, ), 'xy': (2, 3)}


def check_axes(axes: str, owner: str) -> str:
    """Return ``axes`` if it is one of :data:`WRAP_AXES`, else raise ``ValueError``."""
    if axes not in WRAP_AXES:
        raise ValueError(f"{owner}: axes must be one of {sorted(WRAP_AXES)} ('x': left and right "
                         f"edges join, 'xy': the image tiles), got {axes!r}")
    return axes


def pad_dims(x: Tensor, pad: int, dims: Sequence[int], mode: str = 'constant') -> Tensor:
    """Pad ``pad`` pixels on both sides of each dim in ``dims`` (2: height, 3: width).

    ``mode='circular'`` pads with the opposite edge, ``'constant'`` with zeros.
    """
    if pad == 0:
        return x
    for dim in dims:
        if mode == 'circular' and x.shape[dim] < pad:
            raise ValueError(f'cannot wrap {pad} pixels around a {x.shape[dim]}-pixel axis')
        x = F.pad(x, (pad, pad, 0, 0) if dim == 3 else (0, 0, pad, pad), mode=mode)
    return x


def wrap_pad(x: Tensor, pad: int, axes: str) -> Tensor:
    """Pad ``pad`` pixels per side: the opposite edge along ``axes``, zeros along the others.

    Shape:
        ``(N, C, H, W) -> (N, C, H + 2p, W + 2p)``.
    """
    dims = WRAP_AXES[axes]
    x = pad_dims(x, pad, dims, 'circular')
    return pad_dims(x, pad, [d for d in (2, 3) if d not in dims])


def _cubic(t: Tensor, a: float = -0.75) -> Tensor:
    """Keys's cubic convolution kernel (PyTorch's bicubic, ``a = -0.75``) at distance ``t``."""
    t = t.abs()
    near = ((a + 2) * t - (a + 3)) * t * t + 1
    far = ((a * t - 5 * a) * t + 8 * a) * t - 4 * a
    return torch.where(t <= 1, near, torch.where(t < 2, far, torch.zeros_like(t)))


def periodic_taps(n: int, m: int, mode: str) -> Tuple[Tensor, Tensor]:
    """Indices ``(m, T)`` into a circle of ``n`` samples and weights ``(m, T)`` (float64).

    Args:
        n (int): Input samples on the circle.
        m (int): Output samples on the same circle.
        mode (str): ``'bilinear'`` (2 taps) or ``'bicubic'`` (4 taps).
    """
    if mode not in ('bilinear', 'bicubic'):
        raise ValueError(f"periodic resampling is 'bilinear' or 'bicubic', got {mode!r}")
    u = (torch.arange(m, dtype=torch.float64) + 0.5) * (n / m) - 0.5
    base = u.floor()
    t = u - base
    if mode == 'bilinear':
        offsets = torch.tensor([0, 1])
        weights = torch.stack([1 - t, t], 1)
    else:
        offsets = torch.tensor([-1, 0, 1, 2])
        weights = torch.stack([_cubic(t + 1), _cubic(t), _cubic(1 - t), _cubic(2 - t)], 1)
    index = (base.long()[:, None] + offsets[None]) % n
    return index, weights


def periodic_resize_axis(x: Tensor, length: int, dim: int, mode: str = 'bilinear') -> Tensor:
    """Resample dim ``dim`` of ``x``, one period of a periodic signal, to ``length`` samples."""
    n = x.shape[dim]
    if n == length:
        return x
    index, weights = periodic_taps(n, length, mode)
    moved = x.movedim(dim, -1)
    taps = moved[..., index.to(x.device).flatten()].unflatten(-1, tuple(index.shape))
    out = (taps * weights.to(device=x.device, dtype=x.dtype)).sum(-1)
    return out.movedim(-1, dim)


def periodic_resize(x: Tensor, size: Sequence[int], axes: str, mode: str = 'bilinear',
                    align_corners: bool = False) -> Tensor:
    """Resize ``x`` to ``size``: periodically along ``axes``, as ``F.interpolate`` elsewhere.

    Args:
        x (Tensor): ``(N, C, H, W)``.
        size (tuple[int, int]): Output ``(h, w)``.
        axes (str): Wrapped axes (:data:`WRAP_AXES`).
        mode (str): ``'bilinear'`` or ``'bicubic'``.
        align_corners (bool): For the axes that do not wrap.

    Shape:
        ``(N, C, H, W) -> (N, C, h, w)``.
    """
    dims = WRAP_AXES[axes]
    h, w = size
    other = (x.shape[2] if 2 in dims else h, x.shape[3] if 3 in dims else w)
    if other != tuple(x.shape[-2:]):  # the axes that do not wrap (identity along the others)
        x = F.interpolate(x, size=other, mode=mode, align_corners=align_corners)
    for dim, length in ((2, h), (3, w)):
        if dim in dims:
            x = periodic_resize_axis(x, length, dim, mode)
    return x
