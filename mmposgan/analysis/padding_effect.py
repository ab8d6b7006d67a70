"""The padding-effect experiment (paper §3.3, Fig. 3, Fig. 11, App. B.2).

Fill a StyleGAN2's input (the learned constant, or any head) with one
identical value.  App. B.2 changes nothing else: the style code is the same
at every position and the per-pixel noise is spatially i.i.d., so "we only
need to modify the learnable constant input"; zero padding then shows as
structure anchored at the borders ("frozen" borders), absent without padding.

Two settings (``add_noise``):

* ``True`` (default, the paper's Fig. 3 / Fig. 11): per-pixel noise on.
  Images of a padding-free generator are then stationary textures, not
  constant images.
* ``False``: noise off as well, so every input signal is spatially
  constant: a translation-invariant generator must return a spatially
  *uniform* image, and the largest deviation of the output from its own
  spatial mean (``spread``) measures how much the network is not (0 up to
  float round-off without padding; large with any zero padding).  This is
  the setting of the padding-free check of the released models
  (docs/model_zoo.md).
"""
from typing import Dict, Optional, Sequence

import torch
from torch import Tensor

from mmposgan.utils.sampling import sampling_context

DEFAULT_VALUES = (-1.0, -0.5, 0.0, 0.5, 1.0)


@torch.no_grad()
def padding_effect(generator, values: Sequence[float] = DEFAULT_VALUES, num_latents: int = 4,
                   size: Optional[int] = None, seed: int = 0,
                   add_noise: bool = True) -> Dict[str, Tensor]:
    """Render each latent with the original head and with constant-filled heads.

    Args:
        generator: A ``PositionalStyleGAN2Generator`` (EMA or not).
        values (list[float]): Values the head is filled with (Fig. 11: -1, -0.5,
            0, 0.5, 1).
        num_latents (int): Rows of the grid (one latent each).
        size (int | None): Output size (any size the generator makes).
        seed (int): Seed of the latents and of the noise maps (every column
            of a row gets the same noise); the global RNGs are restored.
        add_noise (bool): Keep the per-pixel noise on (the paper's App. B.2,
            default) or switch it off (every input spatially constant).

    Returns:
        dict: ``images`` ``(num_latents * (1 + len(values)), 3, H, W)`` in row
        order (first column: the original head), ``spread``
        ``(num_latents, len(values))``: the largest absolute deviation of each
        constant-input image from its own spatial mean (0 for a uniform image;
        meaningful as a padding test only with ``add_noise=False``),
        ``relative_spread`` (the same divided by the image's largest
        magnitude), ``values`` and ``add_noise``.
    """
    device = next(generator.parameters()).device
    gen = torch.Generator().manual_seed(seed)
    z = torch.randn(num_latents, generator.style_channels, generator=gen).to(device)
    size = size or generator.out_size
    side = generator.head_input_size(size)

    def render(head_input=None):
        torch.manual_seed(seed)  # the same noise maps in every column
        return generator(z, size=size, add_noise=add_noise, head_input=head_input)

    with sampling_context(generator, seed):
        columns = [render()]
        for value in values:
            head = torch.full((1, generator.head.out_channels, side, side), float(value),
                              device=device)
            columns.append(render(head))
    images = torch.stack(columns, 1).flatten(0, 1)  # rows: latents, columns: settings
    const = torch.stack(columns[1:], 1)  # (N, V, 3, H, W)
    spread, relative = _spread(const)
    return dict(images=images, spread=spread, relative_spread=relative,
                values=torch.tensor(list(values)), add_noise=add_noise)


def _spread(images: Tensor):
    """Largest absolute deviation of each image from its spatial mean, also relative to
    the image's largest magnitude (which tells round-off from structure when the network
    makes small outputs, e.g. SinGAN's N(0, 0.02) initialisation).

    Shape:
        ``(..., C, H, W)`` -> two ``(...)`` tensors.
    """
    spread = (images - images.mean(dim=(-2, -1), keepdim=True)).abs().amax(dim=(-3, -2, -1))
    magnitude = images.abs().amax(dim=(-3, -2, -1))
    return spread, torch.where(magnitude > 0, spread / magnitude.clamp_min(1e-30),
                               torch.zeros_like(spread))


class _ZeroEncoding(torch.nn.Module):
    """Stands in for a SinGAN head during :func:`singan_padding_effect`: adds nothing."""

    def __init__(self, out_channels: int):
        super().__init__()
        self.out_channels = out_channels

    def forward(self, num_batches, size, base_size=None):
        return torch.zeros(1, self.out_channels, *size)


@torch.no_grad()
def singan_padding_effect(generator, sizes: Sequence[Sequence[int]],
                          values: Sequence[float] = DEFAULT_VALUES,
                          noise_weights: Optional[Sequence[float]] = None) -> Dict[str, Tensor]:
    """The constant-input test for a SinGAN generator (all stages).

    The stage-0 input (noise, plus the positional encoding if the generator
    has one) is replaced by one value everywhere and the noise of every later
    stage is zero, so every input is spatially constant: a padding-free
    generator returns a spatially uniform image; the original zero-padded
    SinGAN pads that constant with zeros and returns border structure.

    Args:
        generator: A ``PositionalSinGANGenerator``.
        sizes (list[tuple[int, int]]): Image size of every stage, coarse to
            fine (a trained model's, or its dataset pyramid's).
        values (list[float]): Values of the stage-0 input.
        noise_weights (list[float] | None): ``sigma_n`` per stage (only
            ``sigma_0`` matters); default 1.

    Returns:
        dict: ``images`` ``(len(values), 3, H, W)``, ``spread`` and
        ``relative_spread`` ``(1, len(values))`` (largest deviation from the
        spatial mean, absolute and relative to the image's largest magnitude)
        and ``values``.
    """
    weights = list(noise_weights) if noise_weights is not None else [1.0] * len(sizes)
    template = generator.make_fixed_noises(sizes)
    device = next(generator.parameters()).device
    head = generator.head
    if head is not None:
        generator.head = _ZeroEncoding(head.out_channels)
    try:
        images = []
        with sampling_context(generator):
            for value in values:
                noises = [torch.full_like(template[0], float(value)).to(device)]
                noises += [torch.zeros_like(n).to(device) for n in template[1:]]
                images.append(generator(None, noises, weights, 'recon', len(sizes) - 1))
    finally:
        generator.head = head
    images = torch.cat(images)
    spread, relative = _spread(images)
    return dict(images=images, spread=spread[None], relative_spread=relative[None],
                values=torch.tensor(list(values)), add_noise=False)
