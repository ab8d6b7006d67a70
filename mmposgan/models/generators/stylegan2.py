"""StyleGAN2 generator: input head, upsampling and padding are modules (§3.5, §4.3, App. B/D).

One 2^n-pixel generator produces images at several sizes by producing its
input head larger (MS-PIE): a ``4 + scale_offset`` head gives
``(4 + scale_offset) * 2^(n-2)`` pixels, e.g. 256 -> 384, 512, 896, 1024 for
``scale_offset`` 2, 4, 10, 12.  Height and width are independent: a
``(4 + a) x (4 + b)`` head gives ``(4 + a) * 2^(n-2)`` x ``(4 + b) * 2^(n-2)``
pixels, e.g. 256x512 and 256x768 from the 256 model (``scale_offset=(0, 4)``
and ``(0, 8)``).

Sizes follow :func:`~mmposgan.utils.size.to_size`: a bare int is square and
the size methods answer in kind (an int for an int, ``(h, w)`` for a pair).
"""
import random
from typing import List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.size import Size, log2_of_power_of_two, size_name, to_size
from ..layers import PositionalHead, build_head, build_padding, check_padding
from ..layers.equalized import EqualLinear, pixel_norm
from ..layers.resolutions import FIRST_MAP_SIZE, stylegan2_channels
from .stylegan2_blocks import StyleConv, ToRGB


@MODELS.register_module()
class PositionalStyleGAN2Generator(BaseModule):
    """StyleGAN2 generator with an explicit positional head (MS-PIE).

    Args:
        out_size (int): Base output size ``2^n`` (256 in the paper).
        style_channels (int): Latent/style dimension (512).
        num_mlps (int): Mapping-network layers (8).
        channel_multiplier (int): 2 for config F ("C2"), 1 for "C1".
        head (dict | str): Input head: ``LearnableConstant`` (StyleGAN2),
            ``CartesianGrid2d`` or ``SinusoidalEncoding2d`` with resize
            ``interp`` or ``expand`` (Tab. 1).  Its ``base_size`` is set here
            (the first map's size, produced larger by padding-free modes); a
            head without ``out_channels`` gets the first map's channels.
        upsample (dict | str): ``ConvUpsampling`` of each block's first conv:
            ``TransposedConvUp`` (StyleGAN2) or ``BilinearThenConv`` (bilinear
            upsample + conv, Tab. 2(b)).
        padding (dict | str): Padding mode of the conv stacks: ``ZeroPadConv``
            or a padding-free mode, whose first map (the head) is produced
            larger so that the first conv is valid (§4.1), or a circular mode
            (seamless panoramas and textures).  The mode decides
            which convs of a block share one border (``stack_borders``).
        skip_upsample (dict | str | None): ``SkipUpsampling`` of the RGB skip;
            default ``FIRUpsample`` (StyleGAN2) with zero padding and
            ``BilinearUpsample`` for padding-free generators, their circular
            versions with a wrapping mode (``CircularPad``,
            ``CircularInterpPad``: seamless images).  It must wrap the axes the
            padding mode wraps.
        lr_mlp (float): Learning-rate multiplier of the mapping network.
        mix_prob (float): Style-mixing probability in training.
        channels (dict | None): Override of the resolution -> channels table
            (small models for tests).

    Shape:
        ``forward(z (N, style_channels), size=(H, W)) -> (N, 3, H, W)`` with
        ``H = (4 + a) * out_size / 4`` and ``W = (4 + b) * out_size / 4``
        (``scale_offset=(a, b)``; ``size=H`` is square).
    """

    def __init__(self,
                 out_size: int = 256,
                 style_channels: int = 512,
                 num_mlps: int = 8,
                 channel_multiplier: int = 2,
                 head: Union[str, dict] = 'LearnableConstant',
                 upsample: Union[str, dict] = 'TransposedConvUp',
                 padding: Union[str, dict] = 'ZeroPadConv',
                 skip_upsample: Union[None, str, dict] = None,
                 lr_mlp: float = 0.01,
                 mix_prob: float = 0.9,
                 channels: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        log_size = log2_of_power_of_two(out_size, 'out_size', minimum=8)
        self.out_size, self.style_channels = out_size, style_channels
        self.num_upblocks = log_size - 2
        self.channels = dict(channels or stylegan2_channels(channel_multiplier))
        padding = build_padding(padding)
        default_skip = skip_upsample is None
        if default_skip:
            skip_upsample = 'BilinearUpsample' if padding.is_padding_free else 'FIRUpsample'
        self.mix_prob = mix_prob
        ch = self.channels
        self.padding = padding  # head_size asks it; set_padding below checks and plans it
        self.head: PositionalHead = build_head(head, out_channels=ch[FIRST_MAP_SIZE],
                                               base_size=self.head_size(FIRST_MAP_SIZE))

        self.style_mapping = nn.Sequential(*[
            EqualLinear(style_channels, style_channels, lr_mul=lr_mlp, activate=True)
            for _ in range(num_mlps)
        ])
        self.conv1 = StyleConv(self.head.out_channels, ch[FIRST_MAP_SIZE], style_channels,
                               padding=padding)
        self.to_rgb1 = ToRGB(ch[FIRST_MAP_SIZE], style_channels)
        self.convs, self.to_rgbs = nn.ModuleList(), nn.ModuleList()
        in_ch = ch[FIRST_MAP_SIZE]
        for i in range(3, log_size + 1):
            out_ch = ch[2**i]
            self.convs.append(StyleConv(in_ch, out_ch, style_channels, upsample=upsample,
                                        padding=padding))
            self.convs.append(StyleConv(out_ch, out_ch, style_channels, padding=padding))
            self.to_rgbs.append(ToRGB(out_ch, style_channels, skip_upsample=skip_upsample))
            in_ch = out_ch
        self.num_latents = log_size * 2 - 2
        self.set_padding(padding)
        for to_rgb in self.to_rgbs:
            if default_skip:  # the plain skip of this border, wrapped by a wrapping mode
                to_rgb.upsample = padding.fit_resampler(to_rgb.upsample)
            to_rgb.upsample.check(padding)

    def make_seamless(self, axes: str) -> None:
        """Make every later output seamless along ``axes`` (``'x'`` or ``'xy'``), in place.

        The padding mode becomes its circular counterpart
        (:meth:`~mmposgan.models.layers.PaddingMode.wrapped`: zero padding ->
        ``CircularPad``, interpolation -> ``CircularInterpPad``), each conv
        gets the border that mode plans, and the RGB skip upsampling its
        wrapped version; the weights stay.  A trained model then samples
        panoramas (``'x'``) or tiles (``'xy'``) without retraining; the head
        is produced as the new mode asks (``LearnableConstant`` is
        interpolated if that differs from its size).

        Raises:
            ValueError: The mode cannot wrap (``NoPad``) or an upsampling
                cannot work with it (``TransposedConvUp``).
        """
        self.set_padding(self.padding.wrapped(axes))
        for to_rgb in self.to_rgbs:
            to_rgb.upsample = self.padding.fit_resampler(to_rgb.upsample)

    def set_padding(self, padding) -> None:
        """Give every conv the padding mode ``padding`` and the borders it plans."""
        padding = build_padding(padding)
        check_padding(padding, type(self).__name__, keeps_size=True,
                      why='every block doubles the map')
        up_border, border = padding.stack_borders([1, 1])  # two 3x3 convs per block
        # the head arrives with its border (produced larger or prepared): conv1 continues it
        self.conv1.conv.set_padding(padding, 0)
        for up_conv, conv in zip(self.convs[::2], self.convs[1::2]):
            up_conv.conv.set_padding(padding, up_border)
            conv.conv.set_padding(padding, border)
        self.padding = padding

    @property
    def pixel_step(self) -> int:
        """Output pixels per head cell (``out_size / 4``): sizes are multiples of it."""
        return 2**self.num_upblocks

    def head_size(self, first_size):
        """Size the head is produced at for a ``first_size`` first map (int: square).

        The padding mode's ``source_size`` for the first conv (one 3x3 conv):
        ``first_size + 2`` for padding-free modes, else ``first_size``.
        """
        return _like(first_size, self.padding.source_size(to_size(first_size), 1))

    def head_input_size(self, size=None):
        """Size of the map ``forward(head_input=...)`` takes for ``size`` px images.

        Args:
            size (int | tuple | None): Output size (int: square); default
                ``out_size``.
        """
        size = self.out_size if size is None else size
        offset = _pair(self.scale_offset(size))
        return _like(size, self.head_size(tuple(FIRST_MAP_SIZE + o for o in offset)))

    def scale_offset(self, size):
        """``scale_offset`` (extra head cells) giving ``size`` output pixels.

        Args:
            size (int | tuple[int, int]): Output size; an int is square and
                gets an int back, ``(h, w)`` gets ``(a, b)``.

        Raises:
            ValueError: A side is not ``(4 + k) * out_size / 4``.
        """
        step = self.pixel_step
        sides = to_size(size)
        if any(n % step or n // step < 1 for n in sides):
            fit = self.producible_size(sides)
            raise ValueError(f'this {self.out_size}px generator makes sides (4 + k) * {step}; '
                             f'{size_name(size)} is not one of them (e.g. {self.out_size}, '
                             f'{self.out_size + 2 * step}, {2 * self.out_size}; the nearest larger '
                             f'is {fit[0]}x{fit[1]})')
        return _like(size, tuple(n // step - FIRST_MAP_SIZE for n in sides))

    def producible_size(self, size) -> Size:
        """The smallest ``(h, w)`` this generator makes that covers ``size`` per side.

        Each side rounded up to a multiple of :attr:`pixel_step`; sampling
        tools produce it and centre-crop ``size`` out of it.
        """
        step = self.pixel_step
        return tuple(max(step, -(-n // step) * step) for n in to_size(size))

    def output_size(self, scale_offset=0):
        """Output size for ``scale_offset`` (an int gives an int, ``(a, b)`` gives ``(h, w)``)."""
        return _like(scale_offset, tuple((FIRST_MAP_SIZE + o) * self.pixel_step
                                         for o in _pair(scale_offset)))

    def mapping(self, z: Tensor) -> Tensor:
        """``w = MLP(PixelNorm(z))``, shape ``(N, style_channels)``."""
        return self.style_mapping(pixel_norm(z))

    def mean_latent(self, num_samples: int = 4096) -> Tensor:
        z = torch.randn(num_samples, self.style_channels, device=self.head_device())
        return self.mapping(z).mean(0, keepdim=True)

    def head_device(self):
        return next(self.parameters()).device

    def make_latents(self, styles, num_batches: int, input_is_latent: bool, truncation: float,
                     truncation_latent: Optional[Tensor]) -> Tensor:
        """Per-layer latents ``(N, num_latents, style_channels)``, with mixing."""
        device = self.head_device()
        if styles is None:
            mix = self.training and self.mix_prob > 0 and random.random() < self.mix_prob
            styles = [torch.randn(num_batches, self.style_channels, device=device)
                      for _ in range(2 if mix else 1)]
        elif isinstance(styles, Tensor):
            styles = [styles]
        ws = [s if input_is_latent else self.mapping(s) for s in styles]
        if truncation < 1:
            if truncation_latent is None:
                truncation_latent = self.mean_latent()
            ws = [truncation_latent + truncation * (w - truncation_latent) for w in ws]
        if ws[0].dim() == 3:
            return ws[0]
        if len(ws) == 1:
            return ws[0][:, None].expand(-1, self.num_latents, -1)
        cut = random.randint(1, self.num_latents - 1)
        return torch.cat([ws[0][:, None].expand(-1, cut, -1),
                          ws[1][:, None].expand(-1, self.num_latents - cut, -1)], 1)

    def forward(self,
                styles: Union[None, Tensor, List[Tensor]] = None,
                num_batches: int = 1,
                size: Optional[int] = None,
                scale_offset: Optional[int] = None,
                truncation: float = 1.0,
                truncation_latent: Optional[Tensor] = None,
                input_is_latent: bool = False,
                add_noise: bool = True,
                head_input: Optional[Tensor] = None,
                return_latents: bool = False,
                injected_noise: Optional[List[Optional[Tensor]]] = None,
                return_noise: bool = False):
        """Generate images.

        Args:
            styles: ``z`` (or ``w`` with ``input_is_latent``) ``(N, S)``, a
                list of two for style mixing, ``(N, L, S)`` per-layer latents,
                or None to sample ``num_batches``.
            num_batches (int): Samples when ``styles`` is None.
            size (int | tuple[int, int] | None): Output size ``(h, w)``
                (an int: square); default ``out_size``.
            scale_offset (int | tuple[int, int] | None): Alternative to
                ``size``: extra head cells ``(a, b)``.
            truncation (float): Truncation psi.
            truncation_latent (Tensor | None): Mean ``w`` for truncation.
            input_is_latent (bool): ``styles`` are ``w``.
            add_noise (bool): Inject per-pixel noise.
            head_input (Tensor | None): Replace the head by this
                ``(N or 1, C, h, w)`` map (e.g. a constant, Fig. 3), ``(h, w)``
                = :meth:`head_input_size` of the output size.
            return_latents (bool): Return a dict with ``fake_img`` and
                ``latent`` (for the path-length regulariser).
            injected_noise (list[Tensor | None] | None): Per-layer noise maps
                ``(N or 1, 1, h, w)``, one per styled conv in order
                (``conv1``, then each block's two convs), as mmagic's
                ``injected_noise``; None entries draw fresh noise.
            return_noise (bool): Only ``False`` is accepted: mmagic's
                sampling (``BaseGAN.forward``, used by val/test) passes it;
                this generator does not return its noise.
        """
        if return_noise:
            raise ValueError(f'{type(self).__name__} cannot return its noise (return_noise=True)')
        if scale_offset is None:
            scale_offset = 0 if size is None else self.scale_offset(size)
        latent = self.make_latents(styles, num_batches, input_is_latent, truncation,
                                   truncation_latent)
        n = latent.shape[0]
        first = tuple(FIRST_MAP_SIZE + o for o in _pair(scale_offset))
        source = self.head_size(first)
        if head_input is None:
            x = self.head(n, source).to(device=latent.device, dtype=latent.dtype)
        else:
            if tuple(head_input.shape[-2:]) != source:
                pixels = self.output_size(_pair(scale_offset))
                raise ValueError(f'head_input must be {size_name(source)} for {size_name(pixels)} '
                                 f'px images, got {size_name(head_input.shape[-2:])}')
            x = head_input.expand(n, -1, -1, -1).to(device=latent.device, dtype=latent.dtype)
        x = self.padding.prepare(x, first, 1)
        num_convs = 1 + len(self.convs)
        noises = [None] * num_convs if injected_noise is None else list(injected_noise)
        if len(noises) != num_convs:
            raise ValueError(f'injected_noise has {len(noises)} maps; this generator has '
                             f'{num_convs} styled convs')
        out = self.conv1(x, latent[:, 0], noise=noises[0], add_noise=add_noise)
        skip = self.to_rgb1(out, latent[:, 1])
        idx = 1
        for up_conv, conv, to_rgb in zip(self.convs[::2], self.convs[1::2], self.to_rgbs):
            out = up_conv(out, latent[:, idx], noise=noises[idx], add_noise=add_noise)
            out = conv(out, latent[:, idx + 1], noise=noises[idx + 1], add_noise=add_noise)
            skip = to_rgb(out, latent[:, idx + 2], skip)
            idx += 2
        if return_latents:
            return dict(fake_img=skip, latent=latent)
        return skip


def _pair(value) -> Tuple[int, int]:
    """``k -> (k, k)``, ``(a, b) -> (a, b)`` (offsets may be negative, unlike sizes)."""
    if isinstance(value, int):
        return (value, value)
    a, b = (int(v) for v in value)
    return (a, b)


def _like(value, pair: Tuple[int, int]):
    """``pair`` in the kind of ``value``: an int for an int (a square size), else the pair."""
    return pair[0] if isinstance(value, int) else tuple(pair)
