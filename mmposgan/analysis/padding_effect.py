"""The padding-effect experiment (paper §3.3, Fig. 3, Fig. 11, App. B.2).

Fill a StyleGAN2's input (the learned constant, or any head) with one
identical value and switch the per-pixel noise off: every input signal is
then spatially identical.  A translation-invariant generator must return a
spatially uniform image; zero padding instead produces structure anchored at
the borders ("frozen" borders).
"""
from typing import Dict, Optional, Sequence

import torch
from torch import Tensor

DEFAULT_VALUES = (-1.0, -0.5, 0.0, 0.5, 1.0)


@torch.no_grad()
def padding_effect(generator, values: Sequence[float] = DEFAULT_VALUES, num_latents: int = 4,
                   size: Optional[int] = None, seed: int = 0) -> Dict[str, Tensor]:
    """Render each latent with the original head and with constant-filled heads.

    Args:
        generator: A ``PositionalStyleGAN2Generator`` (EMA or not).
        values (list[float]): Values the head is filled with (Fig. 11: -1, -0.5,
            0, 0.5, 1).
        num_latents (int): Rows of the grid (one latent each).
        size (int | None): Output size (any size the generator makes).
        seed (int): Seed of the latents.

    Returns:
        dict: ``images`` ``(num_latents * (1 + len(values)), 3, H, W)`` in row
        order (first column: the original head), and ``spread``
        ``(num_latents, len(values))``: the largest absolute deviation of each
        constant-input image from its own spatial mean (0 for a uniform image).
    """
    was_training = generator.training
    generator.eval()
    device = next(generator.parameters()).device
    gen = torch.Generator().manual_seed(seed)
    z = torch.randn(num_latents, generator.style_channels, generator=gen).to(device)
    size = size or generator.out_size
    side = generator.head_input_size(size)
    columns = [generator(z, size=size, add_noise=False)]
    for value in values:
        head = torch.full((1, generator.head.out_channels, side, side), float(value),
                          device=device)
        columns.append(generator(z, size=size, add_noise=False, head_input=head))
    generator.train(was_training)
    images = torch.stack(columns, 1).flatten(0, 1)  # rows: latents, columns: settings
    const = torch.stack(columns[1:], 1)  # (N, V, 3, H, W)
    spread = (const - const.mean(dim=(-2, -1), keepdim=True)).abs().amax(dim=(-3, -2, -1))
    return dict(images=images, spread=spread, values=torch.tensor(list(values)))
