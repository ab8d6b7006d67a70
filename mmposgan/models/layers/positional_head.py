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
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import Size, to_size
from .builder import resolve_type

RESIZE_MODES = ('interp', 'expand')


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
    #: Whether ``out_channels`` is an argument (False: fixed, e.g. the 2-channel grid).
    channels_configurable = True

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


def build_head(cfg, out_channels=None, base_size=None) -> PositionalHead:
    """Build an input head for a generator.

    Args:
        cfg (str | dict | PositionalHead): The head (only
            :class:`PositionalHead` subclasses pass: mmagic's ``SPE``/``CSG``
            have another interface).
        out_channels (int | None): Channels the generator gives a head whose
            config leaves them out (heads with a fixed count keep theirs).
        base_size (int | tuple | None): Size the generator defines the head
            at; a config that gives another one is refused.

    Raises:
        ValueError: Not a head, or ``base_size`` contradicts the generator's.
    """
    what = 'an mmposgan positional head'
    if isinstance(cfg, PositionalHead):
        head, given = cfg, cfg.base_size
    else:
        cls = resolve_type(cfg, PositionalHead, what)
        cfg = dict(type=cfg) if isinstance(cfg, str) else dict(cfg)
        given = cfg.get('base_size')
        if base_size is not None:
            cfg['base_size'] = base_size
        if out_channels is not None and cls.channels_configurable:
            cfg.setdefault('out_channels', out_channels)
        head = None
    if base_size is not None and given is not None and to_size(given) != to_size(base_size):
        raise ValueError(f'the generator defines its head at base_size={to_size(base_size)}; '
                         f'the head config gives base_size={given}')
    if head is not None:
        return head
    return MODELS.build(cfg)


def check_head_channels(head: PositionalHead, channels: int, owner: str) -> None:
    """Refuse a head that cannot be added to a ``channels``-channel feature map.

    Raises:
        ValueError: ``head.out_channels != channels``.
    """
    if head.out_channels != channels:
        raise ValueError(f'{owner} adds its head to a feature map of {channels} channels; '
                         f'the head has out_channels={head.out_channels}')
