"""The image pyramid of one training image, for SinGAN (paper §3.6, App. E.1)."""
import math
import os.path as osp
from copy import deepcopy
from typing import List, Optional, Sequence, Tuple

import numpy as np
from mmengine.dataset import BaseDataset, Compose
from PIL import Image

from mmposgan.registry import DATASETS, TRANSFORMS
from .image_io import load_rgb_image


def _scaled(size: Tuple[int, int], scale: float) -> Tuple[int, int]:
    """``(h, w)`` times ``scale``, rounded as :func:`rescale` rounds."""
    return tuple(max(1, int(s * scale + 0.5)) for s in size)


def rescale(image: np.ndarray, scale: float) -> np.ndarray:
    """Resize ``(H, W, 3)`` uint8 by ``scale`` with antialiased bicubic filtering."""
    h, w = image.shape[:2]
    new_h, new_w = _scaled((h, w), scale)
    if (new_h, new_w) == (h, w):
        return image.copy()
    return np.asarray(Image.fromarray(image).resize((new_w, new_h), Image.BICUBIC))


def _aspect_advice(size, min_size: int, max_size: int) -> str:
    """Which ``max_size`` (or ``min_size``) gives ``size`` a pyramid."""
    short, long = min(size), max(size)
    fit_max = math.ceil(min_size * long / short) - 1
    while min(_scaled(size, min(fit_max / long, 1.0))) < min_size:
        fit_max += 1
    fit_min = min(_scaled(size, max_size / long))
    advice = f'set max_size >= {fit_max} (with min_size={min_size})'
    if fit_min >= 1:
        advice += f' or min_size <= {fit_min} (with max_size={max_size})'
    return advice


def pyramid_sizes(size: Tuple[int, int], min_size: int, max_size: int,
                  scale_factor_init: float) -> Tuple[List[Tuple[int, int]], float]:
    """Stage sizes of SinGAN's image pyramid for an image of ``size = (h, w)``.

    The image is resized so that its longer side is at most ``max_size``
    (``real_max``); stage 0 has a shorter side of ``min_size``; the number of
    stages is SinGAN's (Shaham et al.: ``ceil(log(min_size / min(h, w)) /
    log(scale_factor_init)) + 1`` minus the steps from the image to
    ``max_size``), and the factor between stages is the one that lands on
    both ends.  Every stage is larger than the one before in height and width.

    Returns:
        tuple: ``(sizes, scale_factor)``, coarse to fine; ``scale_factor < 1``
        (1.0 when the pyramid has a single stage).

    Raises:
        ValueError: The image cannot have such a pyramid: its shorter side is
            below ``min_size``, or its aspect ratio exceeds ``max_size /
            min_size`` (the resized image's shorter side would fall below
            ``min_size`` and the pyramid would shrink); the message names the
            sizes that work.
    """
    h, w = size
    if min(h, w) < min_size:
        raise ValueError(f'image is {h}x{w}, smaller than the SinGAN minimum size '
                         f'min_size={min_size} (its shorter side must be at least {min_size} '
                         'pixels)')
    base = _scaled(size, min(max_size / max(h, w), 1.0))
    if min(base) < min_size:
        raise ValueError(
            f'image is {h}x{w} (aspect ratio {max(h, w) / min(h, w):.3g}), more elongated than '
            f'max_size / min_size = {max_size}/{min_size}: with its longer side resized to '
            f'{max(base)} its shorter side is {min(base)} < min_size, so the pyramid would '
            f'shrink from stage to stage; {_aspect_advice(size, min_size, max_size)}')
    sizes, factor = _stage_sizes(size, base, min_size, max_size, scale_factor_init)
    if not _grows(sizes):
        works = next((f / 100 for f in range(round(scale_factor_init * 100) - 1, 9, -1)
                      if _grows(_stage_sizes(size, base, min_size, max_size, f / 100)[0])), None)
        raise ValueError(
            f'image is {h}x{w}: with scale_factor_init={scale_factor_init:g} the pyramid from '
            f'min_size={min_size} to max_size={max_size} has stages that do not grow after '
            f'rounding ({", ".join(f"{a[0]}x{a[1]}" for a in sizes)}); '
            + (f'use scale_factor_init <= {works:g}' if works else 'use a larger min_size'))
    return sizes, factor


def _grows(sizes) -> bool:
    return all(b[0] > a[0] and b[1] > a[1] for a, b in zip(sizes, sizes[1:]))


def _stage_sizes(size, base, min_size, max_size, scale_factor_init):
    """SinGAN's stage count and the sizes it gives (maybe not growing after rounding)."""
    h, w = size
    num = math.ceil(math.log(min_size / min(h, w)) / math.log(scale_factor_init)) + 1
    to_stop = math.ceil(math.log(min(max_size, max(h, w)) / max(h, w))
                        / math.log(scale_factor_init))
    stop = max(num - to_stop, 0)
    if stop == 0 or min(base) == min_size:
        return [base], 1.0
    factor = (min_size / min(base))**(1.0 / stop)
    return [_scaled(base, factor**(stop - i)) for i in range(stop)] + [base], factor


def make_pyramid(real: np.ndarray, min_size: int, max_size: int, scale_factor_init: float):
    """SinGAN's image pyramid, coarse to fine (sizes: :func:`pyramid_sizes`).

    Every stage derives from the image resized to ``max_size``, so the last
    stage respects it (mmagic's ``create_real_pyramid`` does not:
    ``docs/differences_from_mmagic.md``).

    Returns:
        tuple: ``(reals, scale_factor)``, ``reals[-1]`` the finest stage.

    Raises:
        ValueError: See :func:`pyramid_sizes`.
    """
    h, w = real.shape[:2]
    sizes, factor = pyramid_sizes((h, w), min_size, max_size, scale_factor_init)
    real_max = rescale(real, min(max_size / max(h, w), 1.0))
    reals = [rescale(real_max, factor**(len(sizes) - 1 - i)) for i in range(len(sizes) - 1)]
    return reals + [real_max], factor


@DATASETS.register_module()
class SingleImagePyramidDataset(BaseDataset):
    """SinGAN's training pyramid of one image; every item is the whole pyramid.

    The pyramid runs from ``min(H, W) = min_size`` at stage 0 to
    ``max(H, W) = max_size`` (or the image size if smaller) at the last stage,
    with a factor close to ``scale_factor_init`` between stages
    (:func:`make_pyramid`).  Items are ``dict(real_scale0=..., ...,
    real_scale{N}=..., input_sample=zeros)`` in RGB order.

    Args:
        data_root (str): Path to the image.
        min_size (int): Shorter side of the coarsest stage (SinGAN: 25).
        max_size (int): Longer side of the finest stage (SinGAN: 250-300).
        scale_factor_init (float): Target downscaling factor between stages.
        pipeline (list[dict] | None): Transforms; default packs all stages.
        num_samples (int): Dataset length (the item repeats).
    """

    def __init__(self, data_root: str, min_size: int = 25, max_size: int = 250,
                 scale_factor_init: float = 0.75, pipeline: Optional[Sequence[dict]] = None,
                 num_samples: int = 1000000):
        if not 0 < scale_factor_init < 1:
            raise ValueError(f'scale_factor_init must lie in (0, 1), got {scale_factor_init}')
        if min_size < 1 or max_size < min_size:
            raise ValueError(f'need 1 <= min_size <= max_size, got {min_size}, {max_size}')
        self.min_size = min_size
        self.max_size = max_size
        self.scale_factor_init = scale_factor_init
        self.num_samples = num_samples
        self.reals: List[np.ndarray] = []
        self._pipeline_cfg = pipeline
        super().__init__(data_root=data_root, pipeline=[], lazy_init=False)

    @property
    def num_scales(self) -> int:
        """Index of the last stage: the value of the model's ``num_scales``."""
        return len(self.reals) - 1

    def full_init(self):
        if self._fully_initialized:
            return
        if not osp.isfile(self.data_root):
            raise FileNotFoundError(f'training image not found: {self.data_root!r} (set '
                                    'data_root in the dataset config to an existing image file)')
        real = load_rgb_image(self.data_root)
        try:
            self.reals, self.scale_factor = make_pyramid(real, self.min_size, self.max_size,
                                                         self.scale_factor_init)
        except ValueError as err:
            raise ValueError(f'{self.data_root}: {err}') from None
        self.data = {f'real_scale{i}': r for i, r in enumerate(self.reals)}
        self.data['input_sample'] = np.zeros_like(self.reals[0], dtype=np.float32)
        cfg = self._pipeline_cfg
        if cfg is None:
            keys = [f'real_scale{i}' for i in range(len(self.reals))] + ['input_sample']
            cfg = [dict(type='PackInputs', keys=keys)]
        self.pipeline = Compose([TRANSFORMS.build(c) if isinstance(c, dict) else c for c in cfg])
        self._fully_initialized = True

    def __getitem__(self, idx: int) -> dict:
        if not self._fully_initialized:
            self.full_init()
        return self.pipeline(deepcopy(self.data))

    def __len__(self) -> int:
        return self.num_samples
