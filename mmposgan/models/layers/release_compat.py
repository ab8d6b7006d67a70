"""The released checkpoints' structure: what mmagic's port did differently from the paper.

The authors' checkpoints (``docs/model_zoo.md``) were trained with MMGeneration /
mmagic's port, and a checkpoint only works with the exact structure it was
trained with.  The paper configs build the paper's networks; each release
config (``*-release_*``) inherits its paper config and swaps in the modules
below.  Each reproduces one quirk, bit for bit where the parity tests
(``tests/converters/``) compare with mmagic's own modules:

* :class:`MMagicSinusoidalEncoding2d`: mmagic's ``SPE2d``.  Positions run
  ``1..W`` from the top-left corner whatever the size (its ``center_shift``
  has no effect), width half first, all sines then all cosines,
  ``w_k = exp(-k ln(1e4) / (d/2 - 1))``; an expanded grid grows to the right
  and bottom only.  Needed by MS-PIE e, f, g, j, k, 256-896 and 256-1024
  (``configs/ms_pie_stylegan2/*-release_spe-*``) and the PE-SinGAN SPE
  releases (``configs/pe_singan/external_data/*spe*``).
* :class:`MMagicCartesianGrid2d`: mmagic's ``CatersianGrid``, the Eq. 6 grid
  with the width coordinate first.  Needed by MS-PIE d and i and the PE-SinGAN
  CSG releases.
* :class:`ConvThenBilinear`: the upsampling conv runs *before* the bilinear 2x
  (``align_corners=True``; mmagic's ``deconv2conv`` + ``up_after_conv``)
  instead of after it.  Needed by MS-PIE c-g, 256-896 and 256-1024.
* The zero-padded FIR skip: the "padding-free" MS-PIE models h-k upsample
  their RGB skip with StyleGAN2's FIR filter over a zero-padded border
  (:class:`~.upsampling.FIRUpsample`), so zeros still reach the image through
  the skip; their release configs set ``skip_upsample=dict(type='FIRUpsample')``
  where the paper configs' padding-free default is ``BilinearUpsample``.

Config-level differences (no module of their own) are listed in
``docs/model_zoo.md``: one noise map shared by the colour channels after
SinGAN's stage 0, the stage-0 noise channels of each PE-SinGAN release, the
balloons pyramid of 300 px, the 256-1024 discriminator's channel multiplier.
Every departure of mmagic / MMGeneration from the paper, with or without a
module here, is collected in ``docs/differences_from_mmagic.md``.
"""
import math

import torch
import torch.nn.functional as F
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import Size
from .cartesian_grid import CartesianGridBase, cartesian_axes
from .padding import PaddingMode, check_padding
from .positional_head import PositionalHead
from .upsampling import ConvUpsampling


def mmagic_sinusoid(pos: Tensor, dim: int, div_half_dim: bool) -> Tensor:
    """mmagic's (fairseq's) 1-D encoding ``(dim, L)``: all sines, then all cosines.

    ``w_k = exp(-k ln(1e4) / (dim/2 - 1))`` (``/ (dim/2)`` with
    ``div_half_dim``), computed in float32 as mmagic does, so that converted
    checkpoints see bit-identical inputs.
    """
    half = dim // 2
    k = torch.arange(half, dtype=torch.float32)
    denom = half if div_half_dim else max(half - 1, 1)
    omega = torch.exp(k * -(math.log(10000.0) / denom))
    arg = pos.float()[:, None] * omega[None]
    return torch.cat([arg.sin(), arg.cos()], 1).t()


@MODELS.register_module()
class MMagicSinusoidalEncoding2d(PositionalHead):
    """The sinusoidal encoding of the released checkpoints (mmagic's ``SPE2d``).

    Positions always run ``1 .. H`` and ``1 .. W`` from the top-left corner:
    with ``resize='expand'`` the grid is built at the requested size and
    ``base_size`` plays no role (it grows to the right and bottom, as in
    training); with ``resize='interp'`` the ``1 .. base`` grid is built and
    bilinearly resized (mmagic's ``interp_head=True``, Tab. 5 e and j).
    Channels: width half first, each half all sines then all cosines.

    Args:
        out_channels (int): Total channels (divisible by 4; mmagic's
            ``embedding_dim`` is half of it).
        base_size (int | tuple | None): Size the encoding is defined at.
        resize (str): ``'expand'`` (default) or ``'interp'``.
        div_half_dim (bool): mmagic's ``div_half_dim`` (see
            :func:`mmagic_sinusoid`).

    Shape:
        ``forward(N, (H, W)) -> (N, C, H, W)``.
    """

    def __init__(self, out_channels: int = 8, base_size=None, resize: str = 'expand',
                 div_half_dim: bool = False):
        super().__init__(out_channels, base_size, resize)
        if out_channels % 4 != 0:
            raise ValueError(f'{type(self).__name__} needs out_channels divisible by 4 '
                             f'(a sin/cos pair per frequency and axis), got {out_channels}')
        self.div_half_dim = div_half_dim

    def build(self, size: Size, base_size: Size) -> Tensor:
        pos_h = torch.arange(1, size[0] + 1, dtype=torch.float64)
        pos_w = torch.arange(1, size[1] + 1, dtype=torch.float64)
        return self.encode(pos_h, pos_w, base_size)

    def encode(self, pos_h: Tensor, pos_w: Tensor, base_size: Size) -> Tensor:
        dim = self.out_channels // 2
        emb_h = mmagic_sinusoid(pos_h, dim, self.div_half_dim)  # (d, H)
        emb_w = mmagic_sinusoid(pos_w, dim, self.div_half_dim)  # (d, W)
        h, w = emb_h.shape[1], emb_w.shape[1]
        return torch.cat([emb_w[:, None, :].expand(dim, h, w),
                          emb_h[:, :, None].expand(dim, h, w)], 0).float()

    def extra_repr(self) -> str:
        return super().extra_repr() + f', div_half_dim={self.div_half_dim}'


@MODELS.register_module()
class MMagicCartesianGrid2d(CartesianGridBase):
    """The Cartesian grid of the released checkpoints (mmagic's ``CatersianGrid``).

    The values of Eq. 6 (as :class:`~.cartesian_grid.CartesianGrid2d`) with
    the channels in mmagic's order: channel 0 the width (column) coordinate,
    channel 1 the height (row) coordinate.  Arguments as ``CartesianGrid2d``.

    Shape:
        ``forward(N, (H, W)) -> (N, 2, H, W)``.
    """

    def encode(self, pos_h: Tensor, pos_w: Tensor, base_size: Size) -> Tensor:
        grid_y, grid_x = cartesian_axes(pos_h, pos_w, base_size)
        return torch.stack([grid_x, grid_y], 0).float()


@MODELS.register_module()
class ConvThenBilinear(ConvUpsampling):
    """The conv at the input size, then bilinear 2x (``align_corners=True``).

    mmagic's ``deconv2conv=True, up_after_conv=True`` upsampling of the
    released MS-PIE models with padding (Tab. 5 c-g); it ran only with zero
    padding in every conv, so it takes ``ZeroPadConv``, or a wrapping mode
    (seamless sampling of those models: the conv wraps and the 2x is
    periodic, :meth:`~.padding.PaddingMode.resize`).

    Shape:
        ``(N, C_in, H, W) -> (N, C_out, 2H, 2W)``.
    """

    def check(self, padding: PaddingMode) -> None:
        if padding.wraps:  # seamless sampling: the conv wraps, the 2x is periodic
            return
        check_padding(padding, type(self).__name__, pads_convs=True,
                      why="the released models ran it with zero padding only (or a wrapping "
                      "mode, for seamless sampling); padding-free generators upsample with "
                      "BilinearThenConv")

    def forward(self, x: Tensor, weight: Tensor, padding: PaddingMode, border: int) -> Tensor:
        x = padding.prepare(x, x.shape[-2:], border)
        out = F.conv2d(x, weight, padding=padding.conv_padding(weight.shape[-1]))
        return padding.resize(out, (2 * out.shape[2], 2 * out.shape[3]), 'bilinear', True)
