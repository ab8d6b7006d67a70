"""Border handling of a stack of stride-1 convolutions (paper §3.2, §4.1, App. A).

A *padding mode* decides what a stack of ``k x k`` stride-1 convolutions does
at the image border.  Let ``shrink`` be the number of pixels the stack removes
from each side when it runs without padding (``num_convs * (k - 1) // 2``).

==============  ======================  ====================================
mode            convs run with          size arithmetic (per side)
==============  ======================  ====================================
``ZeroPadConv`` zero padding ``k//2``   out = in (every conv sees zeros)
``ZeroPadHead`` no padding              input zero-padded by ``shrink`` once
                                        (original SinGAN), out = in
``InterpPad``   no padding              input *interpolated* larger by
                                        ``shrink`` (padding-free, §4.1),
                                        out = in
``NoPad``       no padding              out = in - 2 * shrink (valid conv)
==============  ======================  ====================================

Only ``ZeroPadConv`` and ``ZeroPadHead`` inject the implicit positional
encoding of zero padding; ``InterpPad`` and ``NoPad`` keep a stride-1 conv
stack exactly translation-equivariant on its valid region (Eq. 1-3).

Every mode exposes the same three methods, so generators compute their own
shapes instead of threading boolean flags:

* ``conv_padding(kernel_size)``: the ``padding`` each conv is built with.
* ``input_size(size, shrink)``: the size the conv stack must receive so that
  it returns ``size`` (``NoPad``: it returns ``size - 2 * shrink``).
* ``pad_input(x, shrink)``: turn a ``(N, C, H, W)`` map into that input.
* ``output_size(size, shrink)``: the size the stack returns for an
  un-padded input of ``size``.
"""
from typing import Sequence, Tuple, Union

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmposgan.registry import MODELS

Size = Tuple[int, int]


def _pair(size: Union[int, Sequence[int]]) -> Size:
    if isinstance(size, int):
        return (size, size)
    h, w = size
    return (int(h), int(w))


class PaddingMode(nn.Module):
    """Base class of the padding modes (see the module docstring).

    Args:
        pads_convs (bool): Whether each conv pads by ``k // 2`` itself.
        pre_pad (bool): Whether the stack input is enlarged by ``shrink``.
        is_padding_free (bool): Whether no zeros ever enter a conv.
    """

    pads_convs = False
    pre_pad = False
    is_padding_free = True

    def conv_padding(self, kernel_size: int) -> int:
        """Padding each ``kernel_size`` conv of the stack is built with."""
        if kernel_size % 2 != 1:
            raise ValueError(f'{type(self).__name__} needs an odd kernel size, got {kernel_size}')
        return kernel_size // 2 if self.pads_convs else 0

    def input_size(self, size, shrink: int) -> Size:
        """Spatial size the stack input must have (after :meth:`pad_input`)."""
        h, w = _pair(size)
        grow = 2 * shrink if self.pre_pad else 0
        return (h + grow, w + grow)

    def output_size(self, size, shrink: int) -> Size:
        """Spatial size the stack returns for an un-padded input of ``size``."""
        h, w = _pair(size)
        lose = 0 if (self.pads_convs or self.pre_pad) else 2 * shrink
        if h - lose < 1 or w - lose < 1:
            raise ValueError(f'{type(self).__name__}: input {h}x{w} is too small for a '
                             f'conv stack that removes {shrink} pixels per side')
        return (h - lose, w - lose)

    def pad_input(self, x: Tensor, shrink: int) -> Tensor:
        """Prepare a ``(N, C, H, W)`` map for the stack (identity by default)."""
        return x

    def extra_repr(self) -> str:
        return f'pads_convs={self.pads_convs}, pre_pad={self.pre_pad}'


@MODELS.register_module()
class ZeroPadConv(PaddingMode):
    """Zero padding inside every conv (the usual ``padding=k//2``).

    Shape: ``(N, C, H, W) -> (N, C', H, W)`` through the stack.
    """

    pads_convs = True
    is_padding_free = False


@MODELS.register_module()
class ZeroPadHead(PaddingMode):
    """Zero-pad the stack input once by ``shrink``; convs are valid (SinGAN).

    Shape: ``pad_input``: ``(N, C, H, W) -> (N, C, H + 2s, W + 2s)``.
    """

    pre_pad = True
    is_padding_free = False

    def pad_input(self, x: Tensor, shrink: int) -> Tensor:
        return F.pad(x, (shrink, ) * 4) if shrink else x


@MODELS.register_module()
class InterpPad(PaddingMode):
    """Padding-free: interpolate the input larger by ``shrink`` (paper §4.1).

    "Adopt an upsampling layer that interpolates a feature map to a larger
    size covering the extra padding size for the consecutive convolutional
    layers."  No zero ever enters a conv.

    Args:
        mode (str): Interpolation mode, ``'bilinear'`` or ``'bicubic'``.
        align_corners (bool): As in :func:`torch.nn.functional.interpolate`.

    Shape: ``pad_input``: ``(N, C, H, W) -> (N, C, H + 2s, W + 2s)``.
    """

    pre_pad = True

    def __init__(self, mode: str = 'bilinear', align_corners: bool = True):
        super().__init__()
        if mode not in ('bilinear', 'bicubic'):
            raise ValueError(f"InterpPad mode must be 'bilinear' or 'bicubic', got {mode!r}")
        self.mode = mode
        self.align_corners = align_corners

    def resize(self, x: Tensor, size) -> Tensor:
        """Interpolate ``x`` to ``size`` with this mode's settings."""
        size = _pair(size)
        if tuple(x.shape[-2:]) == size:
            return x
        return F.interpolate(x, size=size, mode=self.mode, align_corners=self.align_corners)

    def pad_input(self, x: Tensor, shrink: int) -> Tensor:
        return self.resize(x, self.input_size(x.shape[-2:], shrink)) if shrink else x

    def extra_repr(self) -> str:
        return f'mode={self.mode!r}, align_corners={self.align_corners}'


@MODELS.register_module()
class BlockInterpPad(InterpPad):
    """Padding-free as mmagic's MS-PIE ``interp_pad`` configs (Tab. 5 h-k).

    The border of a whole upsampling block of ``num_convs`` convs is made
    by one interpolation in its first (upsampling) conv: the map goes from
    ``H`` to ``2H + 2 * num_convs * shrink`` and every conv of the block is
    valid, so the block returns ``2H``.  :class:`InterpPad` instead
    interpolates before each conv.  Both are padding-free; this one exists
    to load the released checkpoints (mmagic's ``no_pad=True,
    interp_pad=4, up_after_conv=False``).

    Args:
        mode (str): Interpolation mode (mmagic: ``'bilinear'``).
        align_corners (bool): As in :func:`torch.nn.functional.interpolate`.
        num_convs (int): Convs per block that share the interpolated border.

    Shape: upsampling conv ``(N, C, H, W) -> (N, C', 2H + 2s(n-1), ...)``,
    later convs ``(N, C, H, W) -> (N, C', H - 2s, W - 2s)``.
    """

    def __init__(self, mode: str = 'bilinear', align_corners: bool = True, num_convs: int = 2):
        super().__init__(mode, align_corners)
        if num_convs < 1:
            raise ValueError(f'BlockInterpPad needs num_convs >= 1, got {num_convs}')
        self.num_convs = num_convs

    def input_size(self, size, shrink: int) -> Size:
        h, w = _pair(size)
        grow = 2 * shrink * self.num_convs
        return (h + grow, w + grow)

    def pad_input(self, x: Tensor, shrink: int) -> Tensor:
        return x  # only the upsampling conv interpolates; the others are valid

    def extra_repr(self) -> str:
        return super().extra_repr() + f', num_convs={self.num_convs}'


@MODELS.register_module()
class NoPad(PaddingMode):
    """Valid convs: the output shrinks by ``shrink`` on each side.

    Shape: ``(N, C, H, W) -> (N, C', H - 2s, W - 2s)`` through the stack.
    """


def build_padding(cfg) -> PaddingMode:
    """Build a padding mode from a config dict, a type name or a module."""
    if isinstance(cfg, PaddingMode):
        return cfg
    if isinstance(cfg, str):
        cfg = dict(type=cfg)
    module = MODELS.build(cfg)
    if not isinstance(module, PaddingMode):
        raise ValueError(f'{cfg!r} is not a padding mode; use one of '
                         'ZeroPadConv, ZeroPadHead, InterpPad, NoPad')
    return module
