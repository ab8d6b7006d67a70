"""The image pyramid of one training image, for SinGAN (paper §3.6, App. E.1)."""
import os.path as osp
from copy import deepcopy
from typing import List, Optional, Sequence

import numpy as np
import math
from mmengine.dataset import BaseDataset, Compose
from mmengine.logging import print_log
from PIL import Image, UnidentifiedImageError

from mmposgan.registry import DATASETS, TRANSFORMS


def load_rgb_image(path: str) -> np.ndarray:
    """Read an image as ``(H, W, 3)`` uint8 RGB, converting other modes.

    Grayscale images are replicated to three channels and images with an
    alpha channel are composited onto white, each with a logged note.

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: The file is not a readable image.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'training image not found: {path!r} (set data_root in the '
                                'dataset config to an existing image file)')
    try:
        with Image.open(path) as img:
            img.load()
            mode = img.mode
            if mode in ('RGBA', 'LA', 'PA') or (mode == 'P' and 'transparency' in img.info):
                rgba = img.convert('RGBA')
                canvas = Image.new('RGBA', rgba.size, (255, 255, 255, 255))
                rgb = Image.alpha_composite(canvas, rgba).convert('RGB')
                print_log(f'{path}: {mode} image, alpha composited onto white', 'current')
            elif mode != 'RGB':
                rgb = img.convert('RGB')
                if mode not in ('P', 'CMYK', 'YCbCr'):
                    print_log(f'{path}: {mode} (grayscale) image, replicated to RGB', 'current')
            else:
                rgb = img
            return np.asarray(rgb, dtype=np.uint8).copy()
    except (UnidentifiedImageError, OSError, SyntaxError) as err:
        raise ValueError(f'cannot read {path!r} as an image ({err})') from None


def rescale(image: np.ndarray, scale: float) -> np.ndarray:
    """Resize ``(H, W, 3)`` uint8 by ``scale`` with antialiased bicubic filtering."""
    h, w = image.shape[:2]
    size = (max(1, int(w * scale + 0.5)), max(1, int(h * scale + 0.5)))
    if size == (w, h):
        return image.copy()
    return np.asarray(Image.fromarray(image).resize(size, Image.BICUBIC))


def make_pyramid(real: np.ndarray, min_size: int, max_size: int, scale_factor_init: float):
    """SinGAN's image pyramid, coarse to fine (Shaham et al., App. of SinGAN).

    The image is first resized so that its longer side is at most
    ``max_size``; stage 0 has a shorter side of ``min_size``; the factor
    between stages is the one closest to ``scale_factor_init`` that lands on
    both.  mmagic's ``create_real_pyramid`` computes the factor from the
    resized image but then rescales the *original* one, so its last stage
    ignores ``max_size``; here every stage derives from the resized image.

    Returns:
        tuple: ``(reals, scale_factor)``, ``reals[-1]`` the finest stage.
    """
    h, w = real.shape[:2]
    real_max = rescale(real, min(max_size / max(h, w), 1.0))
    num = math.ceil(math.log(min_size / min(h, w)) / math.log(scale_factor_init)) + 1
    to_stop = math.ceil(math.log(min(max_size, max(h, w)) / max(h, w))
                        / math.log(scale_factor_init))
    stop = max(num - to_stop, 0)
    if stop == 0:
        return [real_max], 1.0
    factor = (min_size / min(real_max.shape[:2]))**(1.0 / stop)
    return [rescale(real_max, factor**(stop - i)) for i in range(stop + 1)], factor


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
        real = load_rgb_image(self.data_root)
        h, w = real.shape[:2]
        if min(h, w) < self.min_size:
            raise ValueError(f'{self.data_root}: image is {h}x{w}, smaller than the SinGAN '
                             f'minimum size min_size={self.min_size} (its shorter side must be '
                             f'at least {self.min_size} pixels)')
        self.reals, self.scale_factor = make_pyramid(real, self.min_size, self.max_size,
                                                     self.scale_factor_init)
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
