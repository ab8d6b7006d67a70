"""Multi-stage SinGAN generator with configurable padding and position-aligned noise.

Paper §3.6, §4.4 and App. E: SinGAN's first stage takes "position aligned"
noise, i.e. ``N(0, 1)`` noise plus an explicit positional encoding (CSG or
SPE); padding can be the original zero padding at each stage's input
(``ZeroPadInput``), zero padding in every conv (the released PE-SinGAN
configs) or removed altogether (``InterpPad``: each stage's input
interpolated larger once, App. E.1).
"""
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmposgan.registry import MODELS
from ..layers import build_head, build_noise, build_padding, check_padding
from ..layers.singan_stack import ConvStack, init_from_previous_stage, stage_channels

Size = Tuple[int, int]


def scaled_size(size: Sequence[int], scale: Sequence[float]) -> Size:
    """``round(size * scale)`` per axis, at least 1."""
    return tuple(max(1, int(round(s * f))) for s, f in zip(size, scale))


@MODELS.register_module()
class PositionalSinGANGenerator(BaseModule):
    """SinGAN generator: stage ``n`` refines the upsampled output of stage ``n-1``.

    Stage ``n`` computes ``x_n = G_n(z_n * sigma_n + up(x_{n-1})) + up(x_{n-1})``
    (``x_{-1} = 0``).  While stage ``n`` trains, stages ``< n`` run frozen
    (eval mode, no gradient) as in the original SinGAN (mmagic's differ:
    ``docs/differences_from_mmagic.md``).
    With a positional ``head``, the first stage input is ``z_0 + P``
    (position-aligned noise, §3.6): by default one noise map broadcast over
    the encoding's channels ("adding the positional encoding with a sampled
    noise map", as the authors' code).

    Args:
        num_scales (int): Index of the last stage (stages ``0..num_scales``),
            as in SinGAN and mmagic.
        in_channels (int): Image channels.
        out_channels (int): Output image channels.
        kernel_size (int): Conv kernel size.
        num_layers (int): Convs per stage.
        base_channels (int): Head channels of stage 0 (doubled every 4 stages).
        min_feat_channels (int): Lower bound of the body channels.
        padding (dict | str): Padding mode of each stage, whose ``num_layers``
            convs form one stack: ``ZeroPadInput`` (original SinGAN),
            ``ZeroPadConv`` (zero padding in each conv, the released PE-SinGAN
            configs), ``InterpPad`` (padding-free: the stage input is
            interpolated larger once and the noise is drawn at that size) or a
            circular mode (``CircularPad``, ``CircularInterpPad``: seamless
            samples; the upsampling between stages wraps too).
            ``NoPad`` (a stage must keep the image size) and
            ``PerConvInterpPad`` (a stage has one border) are refused.
        head (dict | None): Positional encoding added to the first-stage noise
            (``CartesianGrid2d`` or ``SinusoidalEncoding2d``), or ``None``.
        first_noise (dict | str): ``NoiseMaps`` of stage 0: ``SharedNoise``
            (default: one map broadcast over the encoding's, or the image's,
            channels) or ``PerChannelNoise`` (one map per channel).
        noise (dict | str): ``NoiseMaps`` of stages ``>= 1``:
            ``PerChannelNoise`` (default: independent per colour channel, as
            the original SinGAN) or ``SharedNoise`` (one map for R, G, B, as
            mmagic's PE-SinGAN).
        upsample_mode (str): How outputs are enlarged between stages.
        norm_cfg (dict | str | None): Norm layer of the conv stacks (None: none).
        init_cfg (dict | None): mmengine init config.

    Shape:
        ``forward(...) -> (N, out_channels, H_n, W_n)`` where ``(H_n, W_n)`` is
        the training size of stage ``curr_scale`` times ``size_scale``.
    """

    def __init__(self,
                 num_scales: int,
                 in_channels: int = 3,
                 out_channels: int = 3,
                 kernel_size: int = 3,
                 num_layers: int = 5,
                 base_channels: int = 32,
                 min_feat_channels: int = 32,
                 padding: Union[str, dict] = 'ZeroPadInput',
                 head: Union[None, str, dict] = None,
                 first_noise: Union[str, dict] = 'SharedNoise',
                 noise: Union[str, dict] = 'PerChannelNoise',
                 upsample_mode: str = 'bicubic',
                 norm_cfg: Union[None, str, dict] = 'BN',
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.padding = build_padding(padding)
        owner = type(self).__name__
        check_padding(self.padding, owner, keeps_size=True,
                      why='a stage that shrinks the image cannot be refined by the next one')
        check_padding(self.padding, owner, border_per_conv=False,
                      why="a stage's convs share one border made at its input (App. E.1)")
        self.head = None if head is None else build_head(head)
        self.first_noise, self.noise = build_noise(first_noise), build_noise(noise)
        if upsample_mode not in ('bicubic', 'bilinear'):
            raise ValueError("upsample_mode must be 'bicubic' or 'bilinear', got "
                             f'{upsample_mode!r}')
        self.num_scales = num_scales
        self.in_channels = in_channels
        self.upsample_mode = upsample_mode
        conv_padding = self.padding.conv_padding(kernel_size)
        self.blocks = nn.ModuleList()
        for stage in range(num_scales + 1):
            base_ch, min_ch = stage_channels(stage, base_channels, min_feat_channels)
            first_in = self.head.out_channels if (stage == 0 and self.head) else in_channels
            self.blocks.append(
                ConvStack(first_in, out_channels, base_ch, min_ch, num_layers, kernel_size,
                          conv_padding, norm_cfg))
        self.kernel_size = kernel_size
        # pixels a stage removes per side when its convs are valid
        self.shrink = num_layers * (kernel_size // 2)
        # how much larger than the image the fixed noises are drawn, per axis (0 or 2 * shrink):
        # the stage sizes are read off them (stage_sizes), whatever mode samples later
        self.fixed_noise_margin = tuple(n - 1 for n in self.noise_size((1, 1)))

    def make_seamless(self, axes: str) -> None:
        """Make every later sample seamless along ``axes`` (``'x'`` or ``'xy'``), in place.

        The padding mode becomes its circular counterpart
        (:meth:`~mmposgan.models.layers.PaddingMode.wrapped`), the convs follow
        its padding and the upsampling between stages wraps
        (:meth:`~mmposgan.models.layers.PaddingMode.resize`); the weights and
        fixed noises stay, so a trained SinGAN samples 360-degree panoramas
        (``'x'``) or tileable textures (``'xy'``) without retraining.
        """
        padding = self.padding.wrapped(axes)
        check_padding(padding, type(self).__name__, keeps_size=True)
        self.padding = padding
        for block in self.blocks:
            block.set_conv_padding(padding.conv_padding(self.kernel_size))

    def noise_channels(self, stage: int) -> int:
        """Channels of the noise drawn for ``stage`` (broadcast over the stage input's)."""
        if stage == 0:
            return self.first_noise.num_maps(self.blocks[0].in_channels)
        return self.noise.num_maps(self.in_channels)

    def noise_size(self, size: Sequence[int]) -> Size:
        """Size the noise of a stage producing ``size`` is drawn at.

        The padding mode's ``source_size``: padding-free stages draw noise at
        the enlarged size (App. E.1: padding is discarded "from the input
        noise feature"); zero-padded stages draw it at the image size and pad
        it with zeros like the image.
        """
        return self.padding.source_size(size, self.shrink)

    def make_fixed_noises(self, sizes: Sequence[Sequence[int]], generator=None) -> List[Tensor]:
        """Reconstruction noises: ``z_0 ~ N(0, 1)``, zeros for later stages.

        Args:
            sizes: Image size of every stage, coarse to fine.
        """
        noises = []
        for stage, size in enumerate(sizes):
            shape = (1, self.noise_channels(stage), *self.noise_size(size))
            noises.append(torch.randn(shape, generator=generator) if stage == 0 else
                          torch.zeros(shape))
        return noises

    def upsample(self, x: Tensor, size: Sequence[int]) -> Tensor:
        """Enlarge a stage's output to the next stage's size (``upsample_mode``,
        ``align_corners=True``; periodic along the axes a wrapping mode wraps)."""
        return self.padding.resize(x, size, self.upsample_mode, True)

    def stage_sizes(self, fixed_noises: Sequence[Tensor], size_scale=(1.0, 1.0)) -> List[Size]:
        """Output size of every stage, from the fixed noises and a size scale.

        Raises:
            ValueError: A fixed noise has another number of channels than this
                generator draws at its stage (a checkpoint of another config).
        """
        sizes = []
        for stage, noise in enumerate(fixed_noises):
            if noise.shape[1] != self.noise_channels(stage):
                module, key = ((self.first_noise, 'first_noise') if stage == 0
                               else (self.noise, 'noise'))
                raise ValueError(f'the fixed noise of stage {stage} has {noise.shape[1]} channels '
                                 f'but this generator draws {self.noise_channels(stage)} '
                                 f'({key}={type(module).__name__}): the noises come from another '
                                 'config')
            h, w = noise.shape[-2:]
            margin_h, margin_w = self.fixed_noise_margin
            sizes.append(scaled_size((h - margin_h, w - margin_w), size_scale))
        return sizes

    def forward(self,
                input_sample: Optional[Tensor],
                fixed_noises: Sequence[Tensor],
                noise_weights: Sequence[float],
                rand_mode: str,
                curr_scale: int,
                num_batches: int = 1,
                get_prev_res: bool = False,
                return_noise: bool = False,
                size_scale=(1.0, 1.0)):
        """Generate an image (same call signature as mmagic's SinGAN generators).

        Args:
            input_sample (Tensor | None): Stage-0 previous image, zeros if None.
            fixed_noises (list[Tensor]): Reconstruction noise per stage; also
                defines every stage's training size.  Used in the generator's
                dtype and on its device, as everything it draws.
            noise_weights (list[float]): ``sigma_n`` per stage.
            rand_mode (str): ``'rand'`` (fresh noise) or ``'recon'`` (fixed
                noise; only at ``size_scale == (1, 1)``).
            curr_scale (int): Last stage to run.
            num_batches (int): Number of samples in ``'rand'`` mode.
            get_prev_res (bool): Also return every stage's output.
            return_noise (bool): Also return the noises used.
            size_scale (float | tuple[float, float]): Output size relative to
                the training size, e.g. ``(1, 1.5)`` for 1.5x wider (Fig. 7).

        Returns:
            Tensor | dict: ``(N, C, H, W)`` image, or a dict with ``fake_img``,
            ``prev_res_list`` and ``noise_batch``.
        """
        if rand_mode not in ('rand', 'recon'):
            raise ValueError(f"rand_mode must be 'rand' or 'recon', got {rand_mode!r}")
        if curr_scale > self.num_scales or curr_scale >= len(fixed_noises):
            raise ValueError(f'curr_scale={curr_scale} but the generator has stages '
                             f'0..{min(self.num_scales, len(fixed_noises) - 1)}')
        if isinstance(size_scale, (int, float)):
            size_scale = (float(size_scale), float(size_scale))
        rescaled = tuple(size_scale) != (1.0, 1.0)
        if rand_mode == 'recon' and rescaled:
            raise ValueError("'recon' mode reproduces the training image; it cannot change size")
        sizes = self.stage_sizes(fixed_noises, size_scale)
        base_sizes = self.stage_sizes(fixed_noises)
        ref = next(self.parameters())  # outputs follow the module's dtype and device
        if input_sample is None or rescaled:
            input_sample = ref.new_zeros((num_batches, self.in_channels, *sizes[0]))
        prev_res, noises = [], []
        g_res = input_sample
        for stage in range(curr_scale + 1):
            fixed = fixed_noises[stage].to(ref)
            if rand_mode == 'recon':
                noise = fixed
            else:
                noise = torch.randn(g_res.shape[0], self.noise_channels(stage),
                                    *self.noise_size(sizes[stage]), device=ref.device,
                                    dtype=ref.dtype)
            noises.append(noise)
            if stage == 0 and self.head is not None:
                # position-aligned noise (§3.6): N(0, 1) + P at the noise size
                noise = noise + self.head(noise.shape[0], noise.shape[-2:],
                                          base_size=self.noise_size(base_sizes[0])).to(noise)
            noise = self.padding.prepare(noise, sizes[stage], self.shrink)
            if stage == 0 and self.head is not None:
                x = noise * noise_weights[0]  # the previous image is all zeros
            else:
                up = self.padding.prepare(g_res, sizes[stage], self.shrink)
                x = noise * noise_weights[stage] + up
            if self.training and stage < curr_scale:
                # finished stages are frozen, as in the original SinGAN: eval
                # mode (running BN statistics) and no gradient
                g_res = self._run_frozen(stage, x) + g_res
            else:
                g_res = self.blocks[stage](x.detach()) + g_res
            if stage != curr_scale:
                if get_prev_res:
                    prev_res.append(g_res)
                g_res = self.upsample(g_res, sizes[stage + 1])
        if get_prev_res or return_noise:
            return dict(fake_img=g_res, prev_res_list=prev_res, noise_batch=noises)
        return g_res

    def _run_frozen(self, stage: int, x: Tensor) -> Tensor:
        block = self.blocks[stage]
        with torch.no_grad():
            block.eval()
            try:
                return block(x)
            finally:
                block.train()

    def check_and_load_prev_weight(self, curr_scale: int):
        """Initialise stage ``curr_scale`` from stage ``curr_scale - 1`` when shapes match."""
        init_from_previous_stage(self.blocks, curr_scale, 'generator')
