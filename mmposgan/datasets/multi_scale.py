"""Real images at the iteration's MS-PIE scale, resized in the data pipeline (§3.5)."""
import copy
from typing import Sequence, Tuple, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmposgan.registry import DATASETS, TRANSFORMS

SCALE_KEY = 'ms_pie_size'


def area_resize(img: np.ndarray, size: Tuple[int, int], name: str = 'image',
                target: str = 'training scale') -> np.ndarray:
    """Downscale an image to ``size`` with area interpolation (antialiased).

    The one resize of real images to an MS-PIE scale: the training pipeline
    (:class:`ResizeToTrainingScale`) and the scale-aware metrics use it.

    Args:
        img (np.ndarray): ``(H, W)`` or ``(H, W, C)`` image.
        size (tuple): Target ``(h, w)``.
        name (str): What the image is, for the message.
        target (str): What ``size`` is, for the message.

    Raises:
        ValueError: The image is smaller than ``size`` (no silent upscale).

    Shape:
        ``(H, W[, C]) -> (h, w, C)`` (``C = 1`` for a 2-D input).
    """
    h, w = size
    ih, iw = img.shape[:2]
    if ih < h or iw < w:
        raise ValueError(f'{name}: image is {ih}x{iw}, smaller than the {target} {h}x{w}; use '
                         'images at least as large as the largest scale')
    if (ih, iw) != (h, w):
        img = cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA)
    return img if img.ndim == 3 else img[..., None]


@TRANSFORMS.register_module()
class ResizeToTrainingScale(BaseTransform):
    """Resize images to the size the batch sampler chose for this iteration.

    Reads ``results['ms_pie_size']`` (``(h, w)``, set by
    :class:`MultiScaleDataset`).  Downscaling uses area interpolation
    (antialiased); mmagic's port instead resizes on the GPU with bilinear
    ``align_corners=True`` and no antialiasing.  An image smaller than the
    target is an error, not a silent upscale.

    Args:
        keys (list[str]): Image keys to resize (``(H, W, C)`` arrays).
    """

    def __init__(self, keys: Union[str, Sequence[str]] = ('gt', )):
        self.keys = [keys] if isinstance(keys, str) else list(keys)

    def transform(self, results: dict) -> dict:
        if SCALE_KEY not in results:
            raise KeyError(f'ResizeToTrainingScale needs results[{SCALE_KEY!r}]: wrap the dataset '
                           'in MultiScaleDataset and use MultiScaleBatchSampler')
        h, w = results[SCALE_KEY]
        for key in self.keys:
            path = results.get(f'{key}_path', results.get('img_path', key))
            results[key] = area_resize(results[key], (h, w), path)
        results['img_shape'] = (h, w)
        return results


@DATASETS.register_module()
class MultiScaleDataset:
    """Wraps an image dataset so that each item is produced at a chosen size.

    Indices are ``(index, (h, w))`` pairs from :class:`MultiScaleBatchSampler`;
    the size is put into the item (``results['ms_pie_size']``) before the
    inner pipeline runs, whose :class:`ResizeToTrainingScale` uses it.

    Args:
        dataset (dict | Dataset): The image dataset (e.g. mmagic's
            ``BasicImageDataset``) with a pipeline containing
            ``ResizeToTrainingScale``.
    """

    def __init__(self, dataset):
        self.dataset = DATASETS.build(dataset) if isinstance(dataset, dict) else dataset
        self.metainfo = getattr(self.dataset, 'metainfo', {})

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, item: Union[int, Tuple[int, Tuple[int, int]]]) -> dict:
        if isinstance(item, tuple):
            idx, size = item
        else:
            raise TypeError('MultiScaleDataset items are (index, (h, w)); set the dataloader\'s '
                            'batch_sampler to MultiScaleBatchSampler')
        info = copy.deepcopy(self.dataset.get_data_info(idx))
        info[SCALE_KEY] = tuple(size)
        try:
            return self.dataset.pipeline(info)
        except (ValueError, KeyError):
            raise
        except Exception as err:  # unreadable or corrupt image files
            path = info.get('gt_path', info.get('img_path', f'item {idx}'))
            raise ValueError(f'{path}: cannot load this image ({type(err).__name__}: {err})') from None
