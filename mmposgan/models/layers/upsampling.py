"""2x upsampling in the generators (paper §4.1, Tab. 2(b), App. A.5).

Three kinds of module, each chosen by config:

* :class:`ConvUpsampling`: how a ``k x k`` conv makes a map twice its input's
  size, for StyleGAN2's modulated convs (:class:`TransposedConvUp`,
  :class:`BilinearThenConv`; the released MS-PIE models' conv-then-bilinear
  lives in :mod:`.release_compat`);
* :class:`SkipUpsampling`: how StyleGAN2's RGB skip is enlarged
  (:class:`FIRUpsample`, :class:`BilinearUpsample`, and their seamless
  versions :class:`CircularFIRUpsample`, :class:`CircularBilinearUpsample`);
* :class:`UpsampleConv2d`: bilinear 2x then a plain conv (DCGAN, App. C.1).

The border after an upsampling is the padding mode's job
(:meth:`~.padding.PaddingMode.prepare`): upsampling and border are one step.
"""
from typing import Sequence

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmposgan.registry import MODELS
from .blur import Blur, check_upsampling_taps, fir_filter, make_kernel
from .builder import build_typed
from .padding import PaddingMode, build_padding, check_padding
from .periodic import WRAP_AXES, check_axes, periodic_resize


class ConvUpsampling(nn.Module):
    """Base class: a ``k x k`` conv whose output is twice its input's size.

    ``forward(x, weight, padding, border)`` applies ``weight`` ``(C_out, C_in,
    k, k)`` to ``x`` ``(N, C_in, H, W)`` and returns ``(N, C_out, 2H, 2W)``
    (``2H + 2s - (k - 1)`` when the conv starts a padding-free stack of
    shrink ``s``); ``border`` is that stack's shrink.  :meth:`check` refuses
    padding modes the upsampling cannot work with.
    """

    def check(self, padding: PaddingMode) -> None:
        """Raise ``ValueError`` if ``padding`` cannot be used with this upsampling."""

    def forward(self, x: Tensor, weight: Tensor, padding: PaddingMode, border: int) -> Tensor:
        raise NotImplementedError


@MODELS.register_module()
class TransposedConvUp(ConvUpsampling):
    """Stride-2 transposed conv, then a FIR blur (StyleGAN2, Tab. 2(a)).

    Its zero padding is implicit and cannot be removed (App. A.5), so it
    takes only ``ZeroPadConv``.

    Args:
        blur_kernel (tuple[float]): Taps of the blur (``(1, 3, 3, 1)``).

    Shape:
        ``(N, C_in, H, W) -> (N, C_out, 2H, 2W)``.
    """

    def __init__(self, blur_kernel: Sequence[float] = (1, 3, 3, 1)):
        super().__init__()
        blur_kernel = check_upsampling_taps(blur_kernel, type(self).__name__)
        self.register_buffer('kernel', make_kernel(blur_kernel) * 4, persistent=False)
        self.num_taps = len(blur_kernel)

    def check(self, padding: PaddingMode) -> None:
        check_padding(padding, type(self).__name__, pads_convs=True,
                      why='a transposed conv zero-pads implicitly (App. A.5); padding-free '
                      'generators upsample with BilinearThenConv')

    def forward(self, x: Tensor, weight: Tensor, padding: PaddingMode, border: int) -> Tensor:
        out = F.conv_transpose2d(x, weight.transpose(0, 1), stride=2)
        p = (self.num_taps - 2) - (weight.shape[-1] - 1)
        return fir_filter(out, self.kernel, ((p + 1) // 2 + 1, p // 2 + 1))


@MODELS.register_module()
class BilinearThenConv(ConvUpsampling):
    """Bilinear 2x upsampling, then the conv (Tab. 2(b)).

    The padding mode prepares the upsampled map in one step: with
    ``ZeroPadConv`` a bilinear 2x (``align_corners=False``) and a padded
    conv; with ``InterpPad`` one interpolation straight to ``2H + 2s`` and a
    valid conv (padding-free, §4.1).

    Shape:
        ``(N, C_in, H, W) -> (N, C_out, 2H + 2s - (k - 1), ...)`` (``2H`` when
        the conv pads or forms its own stack).
    """

    def forward(self, x: Tensor, weight: Tensor, padding: PaddingMode, border: int) -> Tensor:
        h, w = x.shape[-2:]
        x = padding.prepare(x, (2 * h, 2 * w), border)
        return F.conv2d(x, weight, padding=padding.conv_padding(weight.shape[-1]))


def build_conv_upsampling(cfg) -> ConvUpsampling:
    """Build a :class:`ConvUpsampling` from a config dict, a type name or a module."""
    return build_typed(cfg, ConvUpsampling, 'an upsampling of a conv')


class SkipUpsampling(nn.Module):
    """Base class: 2x upsampling of a map without weights (StyleGAN2's RGB skip).

    Its border must agree with the generator's padding mode (:meth:`check`):
    a skip that is not the wrapped kind would put a seam back into a
    seamless generator's image.  :meth:`wrapped` gives the seamless version.

    Shape:
        ``(N, C, H, W) -> (N, C, 2H, 2W)``.
    """

    #: Axes whose opposite edges join (``''``: none).
    wrap_axes = ''

    def check(self, padding: PaddingMode) -> None:
        """Raise ``ValueError`` unless this skip wraps the axes ``padding`` wraps."""
        if padding.wrap_axes != self.wrap_axes:
            raise ValueError(
                f'{type(self).__name__} wraps axes {self.wrap_axes!r} but the padding mode '
                f'{type(padding).__name__} wraps {padding.wrap_axes!r}: the RGB skip would put a '
                'seam into the image (or make one the convs do not make); use '
                f'{type(self).__name__}.wrapped(axes) (CircularFIRUpsample / '
                'CircularBilinearUpsample) with the same axes, or leave skip_upsample unset')

    def wrapped(self, axes: str) -> 'SkipUpsampling':
        """The version of this upsampling whose border is the opposite edge along ``axes``."""
        raise NotImplementedError


@MODELS.register_module()
class FIRUpsample(SkipUpsampling):
    """Zero insertion and the ``[1, 3, 3, 1]`` FIR filter (StyleGAN2's ``upfirdn2d``).

    The filter runs over a zero-padded border.

    Args:
        taps (tuple[float]): 1-D filter taps.

    Shape:
        ``(N, C, H, W) -> (N, C, 2H, 2W)``.
    """

    def __init__(self, taps: Sequence[float] = (1, 3, 3, 1)):
        super().__init__()
        self.taps = check_upsampling_taps(taps, type(self).__name__)
        p = len(taps) - 2
        self.blur = Blur(taps, ((p + 1) // 2 + 1, p // 2), gain=4)

    @staticmethod
    def insert_zeros(x: Tensor) -> Tensor:
        """``(N, C, H, W) -> (N, C, 2H, 2W)`` with ``x`` at the even positions, zeros elsewhere."""
        n, c, h, w = x.shape
        up = x.new_zeros(n, c, 2 * h, 2 * w)
        up[:, :, ::2, ::2] = x
        return up

    def forward(self, x: Tensor) -> Tensor:
        return self.blur(self.insert_zeros(x))

    def wrapped(self, axes: str) -> SkipUpsampling:
        return CircularFIRUpsample(self.taps, axes)


@MODELS.register_module()
class CircularFIRUpsample(FIRUpsample):
    """:class:`FIRUpsample` whose filter reads the opposite edge along the wrapped axes
    (zeros along the others): the 2x upsampling of a periodic image.

    Args:
        taps (tuple[float]): 1-D filter taps.
        axes (str): ``'x'``, ``'y'`` or ``'xy'``.

    Shape:
        ``(N, C, H, W) -> (N, C, 2H, 2W)``.
    """

    def __init__(self, taps: Sequence[float] = (1, 3, 3, 1), axes: str = 'x'):
        super().__init__(taps)
        self.wrap_axes = check_axes(axes, type(self).__name__)

    def forward(self, x: Tensor) -> Tensor:
        up = self.insert_zeros(x)
        p0, p1 = self.blur.pad
        for dim in (2, 3):
            pads = (p0, p1, 0, 0) if dim == 3 else (0, 0, p0, p1)
            mode = 'circular' if dim in WRAP_AXES[self.wrap_axes] else 'constant'
            up = F.pad(up, pads, mode=mode)
        return fir_filter(up, self.blur.kernel, (0, 0))

    def extra_repr(self) -> str:
        return f'taps={self.taps}, axes={self.wrap_axes!r}'


@MODELS.register_module()
class BilinearUpsample(SkipUpsampling):
    """Bilinear 2x upsampling (``align_corners=False``): no padding at all.

    Shape:
        ``(N, C, H, W) -> (N, C, 2H, 2W)``.
    """

    def forward(self, x: Tensor) -> Tensor:
        return F.interpolate(x, size=(2 * x.shape[2], 2 * x.shape[3]), mode='bilinear',
                             align_corners=False)

    def wrapped(self, axes: str) -> SkipUpsampling:
        return CircularBilinearUpsample(axes)


@MODELS.register_module()
class CircularBilinearUpsample(SkipUpsampling):
    """Bilinear 2x upsampling of a periodic image: periodic along the wrapped axes
    (:func:`.periodic.periodic_resize`), ``align_corners=False`` along the others.

    Args:
        axes (str): ``'x'``, ``'y'`` or ``'xy'``.

    Shape:
        ``(N, C, H, W) -> (N, C, 2H, 2W)``.
    """

    def __init__(self, axes: str = 'x'):
        super().__init__()
        self.wrap_axes = check_axes(axes, type(self).__name__)

    def forward(self, x: Tensor) -> Tensor:
        return periodic_resize(x, (2 * x.shape[2], 2 * x.shape[3]), self.wrap_axes)

    def wrapped(self, axes: str) -> SkipUpsampling:
        return CircularBilinearUpsample(axes)

    def extra_repr(self) -> str:
        return f'axes={self.wrap_axes!r}'


def build_skip_upsampling(cfg) -> SkipUpsampling:
    """Build a :class:`SkipUpsampling` from a config dict, a type name or a module."""
    return build_typed(cfg, SkipUpsampling, 'an upsampling of the RGB skip')


@MODELS.register_module()
class UpsampleConv2d(nn.Module):
    """Bilinear 2x upsampling followed by a ``k x k`` conv (DCGAN of App. C.1).

    Replaces a transposed conv, whose implicit zero padding cannot be removed
    (App. A.5).  The upsampling and the conv's border are one
    :meth:`~.padding.PaddingMode.prepare` of the padding mode: with
    ``InterpPad`` the map is interpolated straight to ``2H + k - 1`` so that
    the valid conv returns ``2H`` without ever seeing a zero (§4.1).

    Args:
        in_channels (int): ``C_in``.
        out_channels (int): ``C_out``.
        kernel_size (int): ``k`` (odd).
        padding (dict | str): Padding mode, default ``ZeroPadConv``.
        bias (bool): Conv bias.

    Shape:
        ``(N, C_in, H, W) -> (N, C_out, H_out, W_out)`` with ``H_out`` given by
        :meth:`output_size` (``2H`` unless the padding mode is ``NoPad``, then
        ``2H - k + 1``).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3,
                 padding='ZeroPadConv', bias: bool = True):
        super().__init__()
        self.padding = build_padding(padding)
        self.shrink = (kernel_size - 1) // 2
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size,
                              padding=self.padding.conv_padding(kernel_size), bias=bias)

    def output_size(self, size):
        h, w = size
        return self.padding.output_size((2 * h, 2 * w), self.shrink)

    def forward(self, x: Tensor) -> Tensor:
        h, w = x.shape[-2:]
        return self.conv(self.padding.prepare(x, (2 * h, 2 * w), self.shrink))
