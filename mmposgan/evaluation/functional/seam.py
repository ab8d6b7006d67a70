"""Is the wrap seam of an image visible?  Compare it with the image's own neighbours.

A seamless image (a 360-degree panorama, a tileable texture) is one period of
a periodic image: tiled, its last column meets its first.  The seam is
invisible when the difference across it is an ordinary difference between
neighbouring columns of the image.  :func:`seam_statistics` measures both:

* ``seam``: mean absolute difference between the last and the first column
  (rows for ``axis='y'``), i.e. across the seam of the tiled image;
* ``neighbours``: the same mean for every pair of neighbouring columns inside;
* ``rank``: the fraction of those neighbour differences below the seam's
  (0.5: a typical column pair; 1.0: the seam is larger than every pair inside);
* ``ratio``: ``seam / max(neighbours)`` (above 1: outside their range).
"""
from typing import Dict

import torch
from torch import Tensor


def seam_statistics(images: Tensor, axis: str = 'x') -> Dict[str, object]:
    """Wrap-seam difference of ``images`` against their neighbouring columns (or rows).

    Args:
        images (Tensor): ``(N, C, H, W)``; every statistic is a mean over the
            batch, the channels and the other axis.
        axis (str): ``'x'`` (the seam between the right and the left edge) or
            ``'y'`` (bottom and top).

    Returns:
        dict: ``seam`` (float), ``neighbours`` (Tensor ``(L - 1,)``), ``rank``
        and ``ratio`` (floats), see the module docstring.
    """
    if axis not in ('x', 'y'):
        raise ValueError(f"axis must be 'x' or 'y', got {axis!r}")
    if images.dim() != 4:
        raise ValueError(f'images must be (N, C, H, W), got shape {tuple(images.shape)}')
    x = images.detach().double()
    if axis == 'y':
        x = x.transpose(2, 3)
    if x.shape[-1] < 3:
        raise ValueError(f'an image needs at least 3 pixels along {axis} to compare its seam')
    neighbours = (x[..., 1:] - x[..., :-1]).abs().mean(dim=(0, 1, 2))
    seam = (x[..., 0] - x[..., -1]).abs().mean()
    return dict(seam=float(seam), neighbours=neighbours.float(),
                rank=float((neighbours < seam).double().mean()),
                ratio=float(seam / neighbours.max().clamp_min(torch.finfo(x.dtype).tiny)))
