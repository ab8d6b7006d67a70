"""Input heads of a convolutional generator and their resize modes (§3.4-3.5, Tab. 1).

A head produces the ``(N, C, H, W)`` map a generator starts from.  It is
defined at a ``base_size`` and can be produced at a larger ``size`` in one of
two ways (Tab. 1):

* ``'interp'``: build at ``base_size``, then bilinearly resize to ``size``
  (``align_corners=True``, so the four corner anchors are kept exactly).
* ``'expand'``: build directly at ``size`` in the coordinate system of the
  base grid: the spacing between neighbouring positions stays that of the
  base grid, and the base grid sits in the centre of the larger one.

Subclasses implement :meth:`encode` for 1-D position vectors (in units of
base-grid cells, the base grid occupying positions ``0 .. base - 1``).
"""
from typing import Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

Size = Tuple[int, int]
RESIZE_MODES = ('interp', 'expand')


def to_size(size: Union[int, Sequence[int]]) -> Size:
    if isinstance(size, int):
        return (size, size)
    h, w = size
    return (int(h), int(w))


def centered_positions(length: int, base: int, device=None) -> Tensor:
    """Positions of ``length`` cells whose central ``base`` cells are ``0..base-1``.

    ``centered_positions(7, 5) -> [-1, 0, 1, 2, 3, 4, 5]``.
    """
    offset = (length - base) / 2.0
    return torch.arange(length, dtype=torch.float64, device=device) - offset


class PositionalHead(nn.Module):
    """Base class of the input heads.

    Args:
        out_channels (int): Channels of the produced map (``C``).
        base_size (int | tuple[int, int] | None): Size the head is defined at.
            ``None`` means "the requested size is the base size" unless a
            ``base_size`` is passed to :meth:`forward`.
        resize (str): ``'interp'`` or ``'expand'`` (Tab. 1).

    Shape:
        ``forward(num_batches, size) -> (num_batches, C, H, W)``.
    """

    supported_resize = RESIZE_MODES

    def __init__(self, out_channels: int, base_size=None, resize: str = 'interp'):
        super().__init__()
        if resize not in self.supported_resize:
            raise ValueError(f'{type(self).__name__} supports resize modes '
                             f'{self.supported_resize}, got {resize!r}')
        if out_channels < 1:
            raise ValueError(f'out_channels must be positive, got {out_channels}')
        self.out_channels = out_channels
        self.base_size = None if base_size is None else to_size(base_size)
        self.resize = resize
        # follows .to()/.cuda() so that parameter-free heads are produced on the model's device
        self.register_buffer('device_ref', torch.empty(0), persistent=False)

    def encode(self, pos_h: Tensor, pos_w: Tensor, base_size: Size) -> Tensor:
        """Encoding ``(C, len(pos_h), len(pos_w))`` of the given positions."""
        raise NotImplementedError

    def build(self, size: Size, base_size: Size) -> Tensor:
        """The ``(C, H, W)`` head at ``size`` (``expand`` coordinates)."""
        pos_h = centered_positions(size[0], base_size[0])
        pos_w = centered_positions(size[1], base_size[1])
        return self.encode(pos_h, pos_w, base_size)

    def forward(self, num_batches: int = 1, size=None, base_size=None) -> Tensor:
        base = to_size(base_size) if base_size is not None else self.base_size
        size = to_size(size) if size is not None else base
        if size is None:
            raise ValueError(f'{type(self).__name__} needs a size: set base_size '
                             'or pass size to forward')
        base = size if base is None else base
        ref = self._reference()
        if self.resize == 'interp' and size != base:
            head = self.build(base, base).to(ref)[None]
            head = F.interpolate(head, size=size, mode='bilinear', align_corners=True)
        else:
            head = self.build(size, base).to(ref)[None]
        return head.expand(num_batches, -1, -1, -1)

    def _reference(self) -> Tensor:
        """A tensor whose dtype/device the head is produced with."""
        for t in self.parameters():
            return t
        return self.device_ref

    def extra_repr(self) -> str:
        return (f'out_channels={self.out_channels}, base_size={self.base_size}, '
                f'resize={self.resize!r}')


def build_head(cfg) -> PositionalHead:
    """Build an input head from a config, refusing modules that are not heads.

    mmagic registers its own encodings (``SPE``, ``CSG``, ...) in the parent
    registry; building one by mistake would silently produce a module with
    another interface, so only :class:`PositionalHead` subclasses pass.
    """
    if isinstance(cfg, PositionalHead):
        return cfg
    from mmposgan.registry import MODELS
    name = cfg['type']
    cls = MODELS.get(name) if isinstance(name, str) else name
    if cls is None:
        raise KeyError(f'{name} is not in the mmposgan::model registry')
    if not (isinstance(cls, type) and issubclass(cls, PositionalHead)):
        raise ValueError(f'head type {name!r} is not an mmposgan positional head; use '
                         'LearnableConstant, CartesianGrid2d or SinusoidalEncoding2d')
    return MODELS.build(cfg)
