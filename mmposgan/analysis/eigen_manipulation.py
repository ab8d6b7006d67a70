"""Closed-form factorisation over all style-modulation weights (paper App. D.3).

"Unlike the original method [SeFa], we directly concatenate all of the
weights in the style encoding layer from the upsampling convolutional blocks
and compute the eigenvector for the large weight matrix."  The eigenvectors
of ``A^T A``, ``A = [A_1; A_2; ...]`` (each ``A_i`` the ``(C_in, S)``
modulation matrix of one styled conv, with its equalized-lr scale), are
directions in ``W``; moving a latent along one changes one attribute.  They
can be applied to every layer or to chosen latent slots only, at any scale
the generator makes (e.g. 512 from a 256 model).
"""
from typing import Optional, Sequence

import torch
from torch import Tensor


def modulation_weights(generator) -> Tensor:
    """``(sum C_in, S)``: the concatenated modulation matrices of the styled convs."""
    layers = [generator.conv1] + list(generator.convs)
    mats = [layer.conv.style_modulation.weight * layer.conv.style_modulation.scale
            for layer in layers]
    return torch.cat(mats, 0)


@torch.no_grad()
def closed_form_factorization(generator, num: Optional[int] = None) -> Tensor:
    """Eigenvectors of ``A^T A`` by decreasing eigenvalue, as rows ``(num, S)``."""
    a = modulation_weights(generator).double()
    eigvals, eigvecs = torch.linalg.eigh(a.t() @ a)
    order = torch.argsort(eigvals, descending=True)
    vecs = eigvecs[:, order].t().float()
    return vecs if num is None else vecs[:num]


@torch.no_grad()
def manipulate(generator, z: Tensor, direction: Tensor, steps: Sequence[float],
               slots: Optional[Sequence[int]] = None, size: Optional[int] = None,
               truncation: float = 1.0) -> Tensor:
    """Images of ``w + step * direction`` for each step.

    Args:
        generator: A ``PositionalStyleGAN2Generator``.
        z (Tensor): ``(N, S)`` latents.
        direction (Tensor): ``(S,)`` unit direction (an eigenvector).
        steps (list[float]): Step sizes; 0 reproduces the original image.
        slots (list[int] | None): Latent slots (layers) to move; None: all.
        size (int | None): Output size.
        truncation (float): Truncation psi applied before moving.

    Returns:
        Tensor: ``(len(steps) * N, 3, H, W)``, step-major.
    """
    w = generator.mapping(z)
    if truncation < 1:
        mean = generator.mean_latent()
        w = mean + truncation * (w - mean)
    latent = w[:, None].repeat(1, generator.num_latents, 1)
    mask = torch.zeros(generator.num_latents, 1, device=z.device)
    if slots is None:
        mask[:] = 1
    else:
        bad = [s for s in slots if not 0 <= s < generator.num_latents]
        if bad:
            raise ValueError(f'latent slots {bad} out of range 0..{generator.num_latents - 1}')
        mask[list(slots)] = 1
    images = []
    for step in steps:
        moved = latent + float(step) * mask * direction.to(latent)
        images.append(generator(moved, input_is_latent=True, size=size, add_noise=False))
    return torch.cat(images, 0)
