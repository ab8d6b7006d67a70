"""Border handling of stacks of stride-1 convolutions (paper §3.2, §4.1, App. A).

A *stack* is a run of stride-1 ``k x k`` convs that share one border: without
padding it removes ``shrink = sum_i (k_i - 1) / 2`` pixels per side.  A
*padding mode* owns everything about that border:

* :meth:`PaddingMode.prepare` ``(x, out_size, shrink)``: the whole border job
  in one step: upsample ``x`` to ``out_size`` (if it is not already there) and
  add the border the stack needs, so that the stack returns ``out_size``;
* :meth:`PaddingMode.stack_borders`: which convs of a block start a stack
  (and get a prepared border) and which continue one;
* the size arithmetic (:meth:`~PaddingMode.input_size`,
  :meth:`~PaddingMode.output_size`, :meth:`~PaddingMode.source_size`) and the
  ``padding`` each conv is built with (:meth:`~PaddingMode.conv_padding`);
* declared capabilities, checked by :func:`check_padding`, the one place
  that refuses a mode where it does not belong.

=====================  ================  =========================================  ===========
mode                   convs             border of a stack (``s`` px per side)      zeros seen
=====================  ================  =========================================  ===========
``ZeroPadConv``        ``padding=k//2``  none: every conv pads itself               every conv
``ZeroPadInput``       valid             the stack input zero-padded by ``s`` once  stack input
                                         (the original SinGAN)
``InterpPad``          valid             one interpolation of the block input to    never
                                         ``out + 2s`` covering all the block's
                                         convs (§4.1, the authors' ``interp_pad``)
``PerConvInterpPad``   valid             one interpolation before *every* conv      never
                                         (not the paper's; see its docstring)
``NoPad``              valid             none: the stack returns ``out - 2s``       never
``CircularPad``        valid             the opposite edge along the wrapped        axes that
                                         axes, zeros along the others               do not wrap
``CircularInterpPad``  valid             the opposite edge along the wrapped        never
                                         axes, interpolated larger along the
                                         others (:mod:`.circular_padding`)
=====================  ================  =========================================  ===========

The two circular modes make seamless outputs (360-degree panoramas, tileable
textures): every conv and every resampling treats the wrapped axes as a
circle, so the generator's output is one period of a periodic image.
:meth:`PaddingMode.wrapped` gives the circular counterpart of a mode and
:meth:`PaddingMode.resize` resamples a map the way the mode's border needs
(periodically along wrapped axes).

Upsampling before the border uses bilinear interpolation
(``align_corners=False``) for the zero-padding modes and ``NoPad``; the
interpolating modes go from ``H`` to ``2H + 2s`` in one interpolation of
their own ``mode`` / ``align_corners``.
"""
from typing import List, Sequence

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import Size, to_size
from .builder import build_typed

#: The capabilities :func:`check_padding` can require, with what they mean.
CAPABILITIES = {
    'keeps_size': 'a stack returns the size it was prepared for',
    'is_padding_free': 'no zero ever enters a conv',
    'pads_convs': 'zeros inside every conv (padding=k//2)',
    'pads_input': 'zeros added once at the input of each stack',
    'prepares_border': 'the stack input is made larger than its output before the stack',
    'border_per_conv': 'every conv is a stack of its own',
    'wraps': 'the border continues the opposite edge (the output tiles along the wrapped axes)',
}


def upsample_to(x: Tensor, size: Size) -> Tensor:
    """Bilinear (``align_corners=False``) resize to ``size``; identity when already there."""
    if tuple(x.shape[-2:]) == tuple(size):
        return x
    return F.interpolate(x, size=tuple(size), mode='bilinear', align_corners=False)


class PaddingMode(nn.Module):
    """Base class of the padding modes (see the module docstring).

    Subclasses declare their capabilities as class attributes (the keys of
    :data:`CAPABILITIES`) and override :meth:`prepare` and the size arithmetic
    where they differ from "convs pad themselves".
    """

    keeps_size = True
    is_padding_free = False
    pads_convs = False
    pads_input = False
    prepares_border = False
    border_per_conv = False
    wraps = False
    #: Axes whose opposite edges join (``''``: none; see :data:`.periodic.WRAP_AXES`).
    wrap_axes = ''

    def conv_padding(self, kernel_size: int) -> int:
        """``padding`` each ``kernel_size`` conv of a stack is built with."""
        if kernel_size % 2 != 1:
            raise ValueError(f'{type(self).__name__} needs an odd kernel size, got {kernel_size}')
        return kernel_size // 2 if self.pads_convs else 0

    def stack_borders(self, shrinks: Sequence[int]) -> List[int]:
        """Border (px per side) to prepare before each conv of a block.

        Args:
            shrinks: Pixels per side each conv removes without padding, in order.

        Returns:
            list[int]: The first conv of each stack gets its stack's shrink;
            the convs continuing a stack get 0 (their input already has it).
        """
        if self.border_per_conv:
            return list(shrinks)
        return [sum(shrinks)] + [0] * (len(shrinks) - 1)

    def input_size(self, out_size, shrink: int) -> Size:
        """Size :meth:`prepare` returns for a stack that must return ``out_size``."""
        h, w = to_size(out_size)
        grow = 2 * shrink if self.prepares_border else 0
        return (h + grow, w + grow)

    def output_size(self, out_size, shrink: int) -> Size:
        """Size the stack returns from ``prepare(x, out_size, shrink)``."""
        h, w = to_size(out_size)
        lose = 0 if self.keeps_size else 2 * shrink
        if h - lose < 1 or w - lose < 1:
            raise ValueError(f'{type(self).__name__}: {h}x{w} is too small for a conv stack '
                             f'that removes {shrink} pixels per side')
        return (h - lose, w - lose)

    def source_size(self, out_size, shrink: int) -> Size:
        """Size at which a generator produces a map that enters a stack (its input
        head, SinGAN's noise), so that :meth:`prepare` needs no resampling.

        ``out_size`` unless the border is more of the signal (the interpolating
        modes): then the map is produced larger, "a larger input map" (§4.1).
        """
        return to_size(out_size)

    def prepare(self, x: Tensor, out_size, shrink: int) -> Tensor:
        """Upsample ``x`` to ``out_size`` and add the border of a ``shrink`` stack.

        Shape:
            ``(N, C, h, w) -> (N, C, *input_size(out_size, shrink))``.
        """
        return upsample_to(x, to_size(out_size))

    def resize(self, x: Tensor, size, mode: str = 'bilinear', align_corners: bool = False):
        """Resample a map that this mode's stacks will see (e.g. between SinGAN's stages).

        ``F.interpolate(x, size, mode, align_corners)`` (identity at the same
        size); the wrapping modes resample their wrapped axes periodically.
        """
        if tuple(x.shape[-2:]) == tuple(size):
            return x
        return F.interpolate(x, size=tuple(size), mode=mode, align_corners=align_corners)

    def wrapped(self, axes: str) -> 'PaddingMode':
        """The circular counterpart of this mode: the same border along the axes that do
        not wrap, the opposite edge along ``axes`` (``'x'`` or ``'xy'``).

        The zero-padding modes give :class:`CircularPad`, the interpolating ones
        :class:`CircularInterpPad`; a mode that shrinks its stacks cannot wrap.
        """
        from .circular_padding import CircularPad
        return CircularPad(axes)

    def fit_resampler(self, module: nn.Module) -> nn.Module:
        """A resampling module that crosses this mode's border (StyleGAN2's RGB skip
        upsampling), made to agree with it: returned as it is, or its ``wrapped``
        version for the wrapping modes."""
        return module

    def extra_repr(self) -> str:
        return ', '.join(f'{k}={getattr(self, k)}' for k in CAPABILITIES if getattr(self, k))


@MODELS.register_module()
class ZeroPadConv(PaddingMode):
    """Zero padding inside every conv (the usual ``padding=k//2``).

    Shape: ``(N, C, H, W) -> (N, C', H, W)`` through a stack.
    """

    pads_convs = True


@MODELS.register_module()
class ZeroPadInput(PaddingMode):
    """Zero-pad each stack's input once by its ``shrink``; the convs are valid (SinGAN).

    Shape: ``prepare``: ``(N, C, H, W) -> (N, C, H + 2s, W + 2s)``.
    """

    pads_input = True
    prepares_border = True

    def prepare(self, x: Tensor, out_size, shrink: int) -> Tensor:
        x = upsample_to(x, to_size(out_size))
        return F.pad(x, (shrink, ) * 4) if shrink else x


class _InterpolatedBorder(PaddingMode):
    """Padding-free: the border is made by interpolating the map larger.

    Args:
        mode (str): Interpolation mode, ``'bilinear'`` or ``'bicubic'``.
        align_corners (bool): As in :func:`torch.nn.functional.interpolate`.
    """

    is_padding_free = True
    prepares_border = True

    def __init__(self, mode: str = 'bilinear', align_corners: bool = True):
        super().__init__()
        if mode not in ('bilinear', 'bicubic'):
            raise ValueError(f"{type(self).__name__} mode must be 'bilinear' or 'bicubic', got "
                             f'{mode!r}')
        self.mode = mode
        self.align_corners = align_corners

    def source_size(self, out_size, shrink: int) -> Size:
        return self.input_size(out_size, shrink)

    def prepare(self, x: Tensor, out_size, shrink: int) -> Tensor:
        size = self.input_size(out_size, shrink)
        if tuple(x.shape[-2:]) == size:
            return x
        return F.interpolate(x, size=size, mode=self.mode, align_corners=self.align_corners)

    def wrapped(self, axes: str) -> PaddingMode:
        from .circular_padding import CircularInterpPad
        return CircularInterpPad(axes, self.mode, self.align_corners)

    def extra_repr(self) -> str:
        return f'mode={self.mode!r}, align_corners={self.align_corners}'


@MODELS.register_module()
class InterpPad(_InterpolatedBorder):
    """Padding-free as the paper: one interpolation per block (§4.1).

    "We adopt an upsampling layer that interpolates a feature map to a larger
    size covering the extra padding size for the consecutive convolutional
    layers": an upsampling block of ``n`` convs interpolates its ``H`` input
    straight to ``2H + 2s`` (``s`` the block's total shrink) and all its convs
    are valid, so the block returns ``2H`` and no zero ever enters a conv (the
    authors' ``interp_pad``).  A generator's first map is produced that much
    larger (:meth:`source_size`).  A SinGAN stage is one such block: its input
    is interpolated by ``num_layers * (k // 2)`` per side once (App. E.1).
    The padding-free mode of every paper config.

    ``H`` samples stretched over ``2H + 2s`` (``align_corners=True``) is not an
    exact 2x, so the generator is shift-equivariant only approximately (the
    departure is measured in ``docs/modules.md``); valid convs after an exact
    2x upsampling would be exactly equivariant, but shrink the map.

    Args:
        mode (str): ``'bilinear'`` (default) or ``'bicubic'``.
        align_corners (bool): As in :func:`torch.nn.functional.interpolate`.

    Shape: ``prepare``: ``(N, C, H, W) -> (N, C, H_out + 2s, W_out + 2s)``.
    """


@MODELS.register_module()
class PerConvInterpPad(_InterpolatedBorder):
    """Padding-free by an interpolation before every conv: *not* the paper's scheme.

    Every conv is a stack of its own: its input is interpolated from ``H`` to
    ``H + k - 1`` (after an upsampling, from ``H`` to ``2H + k - 1``) and the
    conv is valid.  No zero enters a conv, but every conv, not only the
    upsampling one, zooms the map slightly (``H`` samples stretched over
    ``H + 2``); :class:`InterpPad` interpolates once per block as the paper
    does.  No config uses it; it is kept to compare the two
    (``docs/modules.md``, ``tools/analysis/padding_free.py``).

    Args:
        mode (str): ``'bilinear'`` (default) or ``'bicubic'``.
        align_corners (bool): As in :func:`torch.nn.functional.interpolate`.

    Shape: ``prepare``: ``(N, C, H, W) -> (N, C, H_out + k - 1, W_out + k - 1)``.
    """

    border_per_conv = True


@MODELS.register_module()
class NoPad(PaddingMode):
    """Valid convs: a stack's output shrinks by ``shrink`` on each side.

    Shape: ``(N, C, H, W) -> (N, C', H - 2s, W - 2s)`` through a stack.
    """

    keeps_size = False
    is_padding_free = True

    def wrapped(self, axes: str) -> PaddingMode:
        raise ValueError('NoPad shrinks every stack: it has no border that could wrap; use '
                         'CircularPad or CircularInterpPad')


def build_padding(cfg) -> PaddingMode:
    """Build a padding mode from a config dict, a type name or a module."""
    return build_typed(cfg, PaddingMode, 'a padding mode')


def check_padding(padding: PaddingMode, owner: str, why: str = '', **needs: bool) -> None:
    """Refuse ``padding`` unless it has every capability in ``needs``.

    Args:
        padding (PaddingMode): The mode to check.
        owner (str): Who asks, for the message.
        why (str): Why ``owner`` needs it, for the message.
        **needs: Capability name (a key of :data:`CAPABILITIES`) -> required value.

    Raises:
        ValueError: Names the mode, what it lacks and the modes that would do.
    """
    unknown = set(needs) - set(CAPABILITIES)
    if unknown:
        raise ValueError(f'unknown padding capabilities {sorted(unknown)}')
    lacking = [k for k, v in needs.items() if getattr(padding, k) != v]
    if not lacking:
        return
    allowed = [name for name, cls in sorted(MODELS.module_dict.items())
               if isinstance(cls, type) and issubclass(cls, PaddingMode)
               and all(getattr(cls, k) == v for k, v in needs.items())]
    wanted = ', '.join(f"{'' if needs[k] else 'not '}{CAPABILITIES[k]}" for k in lacking)
    raise ValueError(f'{owner} does not take {type(padding).__name__}'
                     f'{f" ({why})" if why else ""}: it needs {wanted}; use '
                     f'{" or ".join(allowed)}')
