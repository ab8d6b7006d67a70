"""Multi-level sliced Wasserstein distance (SWD) between two image sets.

The metric of the paper's Tab. 3, 4 and 6 (§4.2, App. C): Karras et al.'s
multi-level SWD (PGGAN, ICLR 2018, App. D; the reference
``metrics/sliced_wasserstein.py``) per Laplacian-pyramid level, reported ×10³,
plus the average of the reported levels (the paper's "average of the three
distances": 128/64/32 and their mean for 128 px images).

Recipe (Karras's): build the Laplacian pyramid of every image **down to
16 px** (:data:`MIN_LEVEL`), whatever levels are reported, so every level
above 16 px is a band-pass level and only the 16 px level holds the low-pass
residual; cut ``128`` random ``7×7`` neighbourhoods per image and level;
standardise the descriptors of each *set* per colour channel (zero mean, unit
standard deviation, ``ddof=0``); project them on ``4 × 128`` random unit
directions; average the 1-D Wasserstein-1 distances of the sorted
projections.

* Pyramid (``pyramid=``): ``'karras'`` (default) is Karras's, which matches
  OpenCV's ``pyrDown``/``pyrUp``: 5×5 binomial kernel, mirror boundaries,
  downsampling by taking every second sample, upsampling by zero insertion
  and the kernel ×4.  ``'mmgen'`` is MMGeneration's (and mmagic's), which
  the paper's authors ran: zero padding, nearest-neighbour upsampling then
  the kernel.  Both are exact Laplacian pyramids (reconstruction is exact);
  they differ near the borders and in the upsampling filter.
* Patch positions and directions come from private :class:`torch.Generator`
  streams derived from ``seed``: a value is reproducible and never touches
  the global RNGs (``docs/differences_from_mmagic.md``).  The real and the
  fake set use the *same* position stream (image ``i`` of both sets is cut
  at the same places: common random numbers, no bias since positions are
  independent of content), so identical sets give exactly 0.  Draw order:
  for each batch of images and each level, :func:`draw_positions` (rows,
  then columns); for each level, ``dir_repeats`` calls of
  :func:`draw_directions`.
* Reported levels (``levels=``): default the three largest sizes ``S, S/2,
  S/4`` of the pyramid, so 128 px -> 128/64/32 (band-pass; the paper's
  columns), 64 px -> 64/32 band-pass + 16 residual, 32 px -> 32 band-pass +
  16 residual, 16 px -> the residual only.  The pyramid never stops at the
  smallest *reported* level: it always reaches ``min_size``.
* The two sets may differ in size (the exact 1-D W1 of the empirical
  distributions is used then; Karras's needs equal sizes).
"""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

NHOOD_SIZE = 7  # side of the descriptor neighbourhoods (Karras: 7)
NHOODS_PER_IMAGE = 128  # descriptors per image and level (Karras: 128)
DIR_REPEATS = 4  # rounds of random directions (Karras: 4)
DIRS_PER_REPEAT = 128  # directions per round (Karras: 128)
MIN_LEVEL = 16  # the pyramid goes down to this size (Karras: ``while res >= 16``)
NUM_DEFAULT_LEVELS = 3  # the paper's tables report three levels
PYRAMIDS = ('karras', 'mmgen')


def pyramid_levels(height: int, width: Optional[int] = None,
                   min_size: int = MIN_LEVEL) -> List[int]:
    """Heights of all levels of the Laplacian pyramid of an ``height × width`` image.

    ``H, H/2, H/4, ...`` while both sides stay integral and at least
    ``min_size`` (Karras: 16); the last level is the low-pass residual, all
    others are band-pass.

    Raises:
        ValueError: an image smaller than ``min_size``, or ``min_size``
            smaller than the ``7×7`` neighbourhoods plus one.
    """
    width = height if width is None else width
    if min_size < NHOOD_SIZE + 1:
        raise ValueError(f'SWD: min_size={min_size} is smaller than {NHOOD_SIZE + 1} px; the '
                         f'{NHOOD_SIZE}x{NHOOD_SIZE} descriptors need at least that much')
    if min(height, width) < min_size:
        raise ValueError(f'SWD: a {height}x{width} image is smaller than the smallest pyramid '
                         f'level ({min_size} px); pass min_size=... (at least '
                         f'{NHOOD_SIZE + 1}) for such images')
    levels, h, w = [height], height, width
    while h % 2 == 0 and w % 2 == 0 and min(h, w) // 2 >= min_size:
        h, w = h // 2, w // 2
        levels.append(h)
    return levels


def default_swd_levels(height: int, width: Optional[int] = None,
                       min_size: int = MIN_LEVEL) -> List[int]:
    """The default reported levels: the :data:`NUM_DEFAULT_LEVELS` largest of the pyramid.

    128 px -> ``[128, 64, 32]`` (all band-pass), 32 px -> ``[32, 16]``
    (band-pass, residual), 16 px -> ``[16]``.
    """
    return pyramid_levels(height, width, min_size)[:NUM_DEFAULT_LEVELS]


def check_swd_levels(height: int, width: int, levels: Optional[Sequence[int]],
                     min_size: int = MIN_LEVEL) -> List[int]:
    """Validate reported ``levels`` (heights) for ``height × width`` images.

    Returns:
        list[int]: The levels, largest first.

    Raises:
        ValueError: a level that is not a level of the pyramid
            (:func:`pyramid_levels`): not ``height / 2**k``, a width that
            halving does not keep integral, or a level below ``min_size``.
    """
    allowed = pyramid_levels(height, width, min_size)
    if levels is None:
        return allowed[:NUM_DEFAULT_LEVELS]
    levels = sorted({int(v) for v in levels}, reverse=True)
    if not levels:
        raise ValueError('SWD: levels is empty')
    for level in levels:
        if level not in allowed:
            below = (0 < level < min_size
                     and level * 2**int(round(np.log2(height / level))) == height)
            hint = (f'it is below the pyramid\'s residual level ({min_size} px); pass '
                    f'min_size={level} to build the pyramid further down' if below else
                    f'levels must be {height}/2^k with the width divisible too')
            raise ValueError(f'SWD: level {level} is not a Laplacian level of a {height}x{width} '
                             f'image with min_size={min_size} (levels {allowed}): {hint}')
    return levels


def level_key(level: int, height: int, width: int) -> str:
    """Result key of a level: ``'64'`` for square images, ``'64x96'`` otherwise."""
    return str(level) if height == width else f'{level}x{level * width // height}'


def check_images(images: Tensor, name: str) -> Tensor:
    """Check an image batch for SWD and return it as float ``(N, 3, H, W)``.

    Args:
        images (Tensor): ``(N, C, H, W)`` with ``C`` in ``{1, 3}``, values
            in ``[-1, 1]`` (small overshoots of a generator are accepted).
        name (str): Name used in error messages.
    """
    if not isinstance(images, Tensor) or images.ndim != 4 or images.shape[1] not in (1, 3):
        shape = tuple(images.shape) if isinstance(images, Tensor) else type(images).__name__
        raise ValueError(f'SWD: {name} must be a (N, C, H, W) tensor with C = 1 or 3, got {shape}')
    if images.shape[0] == 0:
        raise ValueError(f'SWD: {name} holds no images')
    images = images.float()
    if not torch.isfinite(images).all():
        raise ValueError(f'SWD: {name} contains NaN or Inf')
    lo, hi = float(images.min()), float(images.max())
    if lo < -2 or hi > 2:
        raise ValueError(f'SWD: {name} must be in [-1, 1], got values in [{lo:.3g}, {hi:.3g}] '
                         '(images in [0, 255]? map them with x / 127.5 - 1)')
    if images.shape[1] == 1:
        images = images.expand(-1, 3, -1, -1)
    return images


_BINOMIAL = torch.tensor([1., 4., 6., 4., 1.])
GAUSSIAN_KERNEL = torch.outer(_BINOMIAL, _BINOMIAL) / 256.  # Karras's / OpenCV's 5x5 kernel


def _blur(x: Tensor, gain: float, boundary: str) -> Tensor:
    """Depthwise 5×5 binomial filter ×``gain``; ``boundary`` ``'reflect'`` or ``'zeros'``."""
    channels = x.shape[1]
    kernel = (GAUSSIAN_KERNEL * gain).to(x).expand(channels, 1, 5, 5)
    if boundary == 'reflect':  # scipy.ndimage 'mirror' (d c b | a b c d)
        return F.conv2d(F.pad(x, (2, 2, 2, 2), mode='reflect'), kernel, groups=channels)
    return F.conv2d(x, kernel, padding=2, groups=channels)


def pyr_down(x: Tensor, pyramid: str = 'karras') -> Tensor:
    """Blur, then keep every second row and column.

    Shape:
        ``(N, C, H, W) -> (N, C, H / 2, W / 2)``.
    """
    return _blur(x, 1., 'reflect' if pyramid == 'karras' else 'zeros')[..., ::2, ::2]


def pyr_up(x: Tensor, pyramid: str = 'karras') -> Tensor:
    """Upsample 2× (Karras: zero insertion + kernel ×4; MMGeneration: nearest + kernel).

    Shape:
        ``(N, C, H, W) -> (N, C, 2H, 2W)``.
    """
    if pyramid == 'karras':
        up = x.new_zeros(*x.shape[:2], 2 * x.shape[2], 2 * x.shape[3])
        up[..., ::2, ::2] = x
        return _blur(up, 4., 'reflect')
    return _blur(F.interpolate(x, scale_factor=2, mode='nearest'), 1., 'zeros')


def check_pyramid(pyramid: str) -> str:
    if pyramid not in PYRAMIDS:
        raise ValueError(f'SWD: pyramid must be one of {PYRAMIDS}, got {pyramid!r}')
    return pyramid


def laplacian_pyramid(images: Tensor, num_levels: int, pyramid: str = 'karras') -> List[Tensor]:
    """Laplacian pyramid of ``num_levels`` levels: ``num_levels - 1`` band-pass, then the residual.

    Level ``k`` is ``g_k - pyr_up(g_{k+1})`` with the Gaussian pyramid
    ``g_0 = images``, ``g_{k+1} = pyr_down(g_k)``; the last level is
    ``g_{num_levels - 1}`` (Karras's ``generate_laplacian_pyramid``).

    Shape:
        ``(N, C, H, W)`` -> ``[(N, C, H, W), (N, C, H/2, W/2), ...]``.
    """
    check_pyramid(pyramid)
    gaussians = [images]
    for _ in range(num_levels - 1):
        gaussians.append(pyr_down(gaussians[-1], pyramid))
    bands = [g - pyr_up(g_next, pyramid) for g, g_next in zip(gaussians[:-1], gaussians[1:])]
    return bands + [gaussians[-1]]


def laplacian_levels(images: Tensor, levels: Sequence[int], min_size: int = MIN_LEVEL,
                     pyramid: str = 'karras') -> List[Tensor]:
    """The requested levels of the full Laplacian pyramid of ``images`` (down to ``min_size``).

    Shape:
        ``(N, 3, H, W)`` -> one ``(N, 3, l, l * W / H)`` tensor per level
        ``l`` (largest first); only the ``min_size`` level is the low-pass
        residual.
    """
    height, width = images.shape[2:]
    allowed = pyramid_levels(height, width, min_size)
    full = laplacian_pyramid(images, len(allowed), pyramid)
    return [full[allowed.index(level)] for level in levels]


def draw_positions(num: int, height: int, width: int,
                   generator: torch.Generator) -> Tuple[Tensor, Tensor]:
    """Centres of ``num`` random ``7×7`` neighbourhoods inside an ``height × width`` level.

    Uniform over the centres whose neighbourhood lies inside the level (as
    Karras's ``get_descriptors_for_minibatch``).

    Returns:
        tuple: rows ``(num, )`` then columns ``(num, )``.
    """
    half = NHOOD_SIZE // 2
    ys = torch.randint(half, height - half, (num, ), generator=generator)
    xs = torch.randint(half, width - half, (num, ), generator=generator)
    return ys, xs


def extract_descriptors(level: Tensor, generator: torch.Generator,
                        nhoods_per_image: int = NHOODS_PER_IMAGE) -> Tensor:
    """Cut random ``7×7`` neighbourhoods out of one pyramid level.

    ``nhoods_per_image`` per image, positions from :func:`draw_positions`;
    descriptors ``i * nhoods_per_image ... (i + 1) * nhoods_per_image - 1``
    belong to image ``i``.

    Shape:
        ``(N, C, h, w)`` -> ``(N * nhoods_per_image, C, 7, 7)``.
    """
    n, c, h, w = level.shape
    half = NHOOD_SIZE // 2
    num = n * nhoods_per_image
    ys, xs = draw_positions(num, h, w, generator)
    offsets = torch.arange(-half, half + 1)
    img = torch.arange(num) // nhoods_per_image
    rows = (ys[:, None] + offsets)[:, None, :, None]
    cols = (xs[:, None] + offsets)[:, None, None, :]
    chans = torch.arange(c)[None, :, None, None]
    return level.cpu()[img[:, None, None, None], chans, rows, cols]


def normalize_descriptors(descriptors: Tensor) -> Tensor:
    """Karras's ``finalize_descriptors``: per-set, per-channel standardisation.

    Mean and (population, ``ddof=0``) standard deviation over all
    descriptors and the ``7×7`` positions, per colour channel.

    Shape:
        ``(M, C, 7, 7)`` -> ``(M, C * 49)``.
    """
    desc = descriptors.double()
    desc = desc - desc.mean(dim=(0, 2, 3), keepdim=True)
    desc = desc / desc.std(dim=(0, 2, 3), keepdim=True, unbiased=False).clamp_min(1e-12)
    return desc.reshape(desc.shape[0], -1).float()


def draw_directions(dim: int, num: int, generator: torch.Generator) -> Tensor:
    """``num`` random unit directions in ``R^dim`` (normal draws, normalised).

    Shape:
        ``(dim, num)``, every column of norm 1.
    """
    dirs = torch.randn(dim, num, generator=generator)
    return dirs / dirs.norm(dim=0, keepdim=True)


def _wasserstein_1d(proj_a: Tensor, proj_b: Tensor) -> Tensor:
    """Mean over directions of the exact W1 between the empirical distributions.

    ``proj_a`` ``(M_a, K)`` and ``proj_b`` ``(M_b, K)`` hold projections on
    ``K`` directions.  Each direction is sorted as a contiguous row (sorting
    the last dimension: 1.8 s instead of 3.2 s for 115k x 128 on 2 CPU cores).
    """
    sorted_a = proj_a.T.contiguous().sort(dim=1).values  # (K, M_a)
    sorted_b = proj_b.T.contiguous().sort(dim=1).values  # (K, M_b)
    if sorted_a.shape[1] == sorted_b.shape[1]:
        return (sorted_a - sorted_b).abs().mean()
    # unequal sizes: W1 = integral of |F_a - F_b| over the merged support
    values = torch.cat([sorted_a, sorted_b], dim=1).sort(dim=1).values
    cdf_a = torch.searchsorted(sorted_a, values, right=True)
    cdf_b = torch.searchsorted(sorted_b, values, right=True)
    diff = (cdf_a.double() / sorted_a.shape[1] - cdf_b.double() / sorted_b.shape[1]).abs()
    gaps = values[:, 1:].double() - values[:, :-1].double()
    return (diff[:, :-1] * gaps).sum(dim=1).mean()


def sliced_wasserstein(desc_a: Tensor, desc_b: Tensor, generator: torch.Generator,
                       dir_repeats: int = DIR_REPEATS,
                       dirs_per_repeat: int = DIRS_PER_REPEAT) -> float:
    """Sliced Wasserstein-1 distance of two descriptor sets.

    Args:
        desc_a, desc_b (Tensor): ``(M_a, D)`` and ``(M_b, D)`` normalised
            descriptors.
        generator (torch.Generator): Source of the random directions.
        dir_repeats, dirs_per_repeat (int): ``dir_repeats`` rounds of
            ``dirs_per_repeat`` random unit directions.

    Returns:
        float: The distance (not yet ×10³).
    """
    if desc_a.ndim != 2 or desc_b.ndim != 2 or desc_a.shape[1] != desc_b.shape[1]:
        raise ValueError(f'SWD: descriptor sets must be (M, D) with equal D, got '
                         f'{tuple(desc_a.shape)} and {tuple(desc_b.shape)}')
    results = []
    for _ in range(dir_repeats):
        dirs = draw_directions(desc_a.shape[1], dirs_per_repeat, generator).to(desc_a.device)
        results.append(float(_wasserstein_1d(desc_a @ dirs, desc_b.to(desc_a.device) @ dirs)))
    return float(np.mean(results))


def swd_generators(seed: int) -> Tuple[torch.Generator, torch.Generator, torch.Generator]:
    """Three independent private generators from ``seed``.

    Returns:
        tuple: ``(real positions, fake positions, directions)``; the two
        position generators start from the same state (common random
        numbers, see the module docstring).
    """
    states = np.random.SeedSequence(int(seed)).generate_state(2, dtype=np.uint64)
    pos_real = torch.Generator().manual_seed(int(states[0]) & (2**63 - 1))
    pos_fake = torch.Generator().manual_seed(int(states[0]) & (2**63 - 1))
    dirs = torch.Generator().manual_seed(int(states[1]) & (2**63 - 1))
    return pos_real, pos_fake, dirs


def collect_descriptors(images: Tensor, levels: Sequence[int], generator: torch.Generator,
                        batch_size: int = 64, min_size: int = MIN_LEVEL,
                        pyramid: str = 'karras') -> List[Tensor]:
    """Raw descriptors of every requested level, batch by batch.

    Shape:
        ``(N, 3, H, W)`` -> one ``(N * 128, 3, 7, 7)`` tensor per level.
    """
    per_level: List[List[Tensor]] = [[] for _ in levels]
    for start in range(0, images.shape[0], batch_size):
        bands = laplacian_levels(images[start:start + batch_size], levels, min_size, pyramid)
        for store, level in zip(per_level, bands):
            store.append(extract_descriptors(level, generator))
    return [torch.cat(store) for store in per_level]


def swd_from_descriptors(real: Sequence[Tensor], fake: Sequence[Tensor], keys: Sequence[str],
                         generator: torch.Generator) -> Dict[str, float]:
    """Per-level SWD ×10³ and their average from raw descriptors.

    Returns:
        dict: ``{key: value ×10³ for each level, 'avg': mean of them}``.
    """
    result = {}
    for key, desc_real, desc_fake in zip(keys, real, fake):
        result[key] = 1e3 * sliced_wasserstein(
            normalize_descriptors(desc_real), normalize_descriptors(desc_fake), generator)
    result['avg'] = float(np.mean([result[k] for k in keys]))
    return result


def multi_level_swd(real: Tensor, fake: Tensor, levels: Optional[Sequence[int]] = None,
                    seed: int = 0, batch_size: int = 64, min_size: int = MIN_LEVEL,
                    pyramid: str = 'karras') -> Dict[str, float]:
    """Multi-level SWD ×10³ between two image sets (paper Tab. 3, 4, 6).

    Args:
        real (Tensor): ``(N_r, C, H, W)`` real images in ``[-1, 1]``,
            ``C`` = 1 (repeated to 3) or 3.
        fake (Tensor): ``(N_f, C, H, W)`` generated images, same ``C, H, W``.
        levels (list[int] | None): Heights of the Laplacian levels to report
            (each ``H / 2**k``, at least ``min_size``); default
            :func:`default_swd_levels` (128 px -> 128/64/32 band-pass,
            32 px -> 32 band-pass and the 16 px residual).
        seed (int): Seed of the patch positions and directions; equal seeds
            give equal values, the global RNGs are not touched.
        batch_size (int): Images per pyramid computation (memory only).
        min_size (int): Size of the pyramid's residual level (Karras: 16;
            smaller only for images below 16 px, at least 8).
        pyramid (str): ``'karras'`` (mirror boundaries, OpenCV's
            pyrDown/pyrUp) or ``'mmgen'`` (MMGeneration's zero-padded one).

    Returns:
        dict: ``{'128': ..., '64': ..., '32': ..., 'avg': ...}`` (×10³,
        keys ``'64x96'`` for non-square images).

    Shape:
        ``(N_r, C, H, W)``, ``(N_f, C, H, W)`` -> scalars.
    """
    real = check_images(real, 'real')
    fake = check_images(fake, 'fake')
    if real.shape[1:] != fake.shape[1:]:
        raise ValueError(f'SWD: real and fake images differ in shape: {tuple(real.shape[1:])} vs '
                         f'{tuple(fake.shape[1:])} (resize the real images to the fake scale)')
    height, width = real.shape[2:]
    levels = check_swd_levels(height, width, levels, min_size)
    check_pyramid(pyramid)
    pos_real, pos_fake, dirs = swd_generators(seed)
    desc_real = collect_descriptors(real, levels, pos_real, batch_size, min_size, pyramid)
    desc_fake = collect_descriptors(fake, levels, pos_fake, batch_size, min_size, pyramid)
    keys = [level_key(level, height, width) for level in levels]
    return swd_from_descriptors(desc_real, desc_fake, keys, dirs)
