"""Real images at the iteration's MS-PIE scale, resized in the data pipeline (§3.5)."""
import copy
import logging
from typing import Sequence, Tuple, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.logging import print_log

from mmposgan.registry import DATASETS, TRANSFORMS
from .image_scan import bad_images_message, scan_images

SCALE_KEY = 'ms_pie_size'


#: How a real image meets a scale of another aspect ratio.
CROP_MODES = ('random', 'center', 'squash')


def check_crop(crop: str) -> str:
    """Return ``crop`` if it is one of :data:`CROP_MODES`, else raise ``ValueError``."""
    if crop not in CROP_MODES:
        raise ValueError(f'crop must be one of {CROP_MODES}, got {crop!r}')
    return crop


def crop_window(image_size: Tuple[int, int], size: Tuple[int, int],
                crop: str = 'center') -> Tuple[int, int, int, int]:
    """The largest window of ``image_size`` with the aspect ratio of ``size``.

    Args:
        image_size (tuple): ``(H, W)`` of the image.
        size (tuple): Target ``(h, w)``; only its aspect ratio matters here.
        crop (str): ``'center'``, ``'random'`` (offset drawn from numpy's
            global generator, as mmcv's random transforms do) or ``'squash'``
            (the whole image, its aspect ratio changed on resize).

    Returns:
        tuple: ``(top, left, height, width)`` of the window.
    """
    check_crop(crop)
    ih, iw = image_size
    h, w = size
    if crop == 'squash':
        return 0, 0, ih, iw
    if ih * w > iw * h:  # the image is relatively taller: keep the width
        ch, cw = min(ih, round(iw * h / w)), iw
    else:
        ch, cw = ih, min(iw, round(ih * w / h))
    if crop == 'center':
        return (ih - ch) // 2, (iw - cw) // 2, ch, cw
    return int(np.random.randint(0, ih - ch + 1)), int(np.random.randint(0, iw - cw + 1)), ch, cw


def area_resize(img: np.ndarray, size: Tuple[int, int], name: str = 'image',
                target: str = 'training scale', crop: str = 'center') -> np.ndarray:
    """Crop an image to the aspect ratio of ``size``, then downscale it with area interpolation.

    The one resize of real images to an MS-PIE scale: the training pipeline
    (:class:`ResizeToTrainingScale`, random crop) and the scale-aware metrics
    (centre crop) use it.  A square image at a square scale is not cropped.

    Args:
        img (np.ndarray): ``(H, W)`` or ``(H, W, C)`` image.
        size (tuple): Target ``(h, w)``.
        name (str): What the image is, for the message.
        target (str): What ``size`` is, for the message.
        crop (str): See :func:`crop_window`.

    Raises:
        ValueError: The crop is smaller than ``size`` (no silent upscale).

    Shape:
        ``(H, W[, C]) -> (h, w, C)`` (``C = 1`` for a 2-D input).
    """
    h, w = size
    top, left, ch, cw = crop_window(img.shape[:2], size, crop)
    if ch < h or cw < w:
        ih, iw = img.shape[:2]
        raise ValueError(f'{name}: image is {ih}x{iw}, smaller than the {target} {h}x{w}'
                         + (f' (its {ch}x{cw} crop of the aspect ratio {w}:{h})'
                            if (ch, cw) != (ih, iw) else '')
                         + '; use images at least as large as the largest scale')
    img = img[top:top + ch, left:left + cw]
    if (ch, cw) != (h, w):
        img = cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA)
    return img if img.ndim == 3 else img[..., None]


@TRANSFORMS.register_module()
class ResizeToTrainingScale(BaseTransform):
    """Crop and resize images to the size the batch sampler chose for this iteration.

    Reads ``results['ms_pie_size']`` (``(h, w)``, set by
    :class:`MultiScaleDataset`).  The image is cropped to the scale's aspect
    ratio (a random window by default) and downscaled with area
    interpolation (antialiased) by :func:`area_resize` (not as mmagic's port:
    ``docs/differences_from_mmagic.md``).  An image smaller than the target is
    an error, not a silent upscale.

    Args:
        keys (list[str]): Image keys to resize (``(H, W, C)`` arrays).
        crop (str): ``'random'`` (training), ``'center'`` or ``'squash'``
            (change the aspect ratio instead of cropping).
    """

    def __init__(self, keys: Union[str, Sequence[str]] = ('gt', ), crop: str = 'random'):
        self.crop = check_crop(crop)
        self.keys = [keys] if isinstance(keys, str) else list(keys)

    def transform(self, results: dict) -> dict:
        if SCALE_KEY not in results:
            raise KeyError(f'ResizeToTrainingScale needs results[{SCALE_KEY!r}]: wrap the dataset '
                           'in MultiScaleDataset and use MultiScaleBatchSampler')
        h, w = results[SCALE_KEY]
        for key in self.keys:
            path = results.get(f'{key}_path', results.get('img_path', key))
            results[key] = area_resize(results[key], (h, w), path, crop=self.crop)
        results['img_shape'] = (h, w)
        return results


def _item_path(info: dict, idx: int) -> str:
    """The image file of data item ``idx`` with data info ``info`` (for messages)."""
    return info.get('gt_path', info.get('img_path', f'item {idx}'))


@DATASETS.register_module()
class MultiScaleDataset:
    """Wraps an image dataset so that each item is produced at a chosen size.

    Indices are ``(index, (h, w))`` pairs from :class:`MultiScaleBatchSampler`;
    the size is put into the item (``results['ms_pie_size']``) before the
    inner pipeline runs, whose :class:`ResizeToTrainingScale` uses it.

    An empty dataset is refused when it is built (an infinite sampler over
    it would wait forever); :meth:`check_images` (called by
    ``ScaleScheduleHook`` before training) reads every image header once.

    Args:
        dataset (dict | Dataset): The image dataset (e.g. mmagic's
            ``BasicImageDataset``) with a pipeline containing
            ``ResizeToTrainingScale``.
        bad_images (str): What :meth:`check_images` does with unreadable or
            too small images: ``'error'`` (stop, listing them) or ``'skip'``
            (train without them, listing them in the log).
    """

    def __init__(self, dataset, bad_images: str = 'error'):
        if bad_images not in ('error', 'skip'):
            raise ValueError(f"bad_images must be 'error' or 'skip', got {bad_images!r}")
        self.bad_images = bad_images
        try:
            self.dataset = DATASETS.build(dataset) if isinstance(dataset, dict) else dataset
        except ValueError as err:  # mmengine cannot serialise an empty data list
            if 'need at least one array to concatenate' not in str(err):
                raise
            self.dataset = None
            root = dataset.get('data_root', '?')
        else:
            root = self.root
        if self.dataset is None or len(self.dataset) == 0:
            raise ValueError(f'{root}: no training images found; set data_root to a folder of '
                             'images (an infinite sampler over no images would wait forever)')
        self.metainfo = getattr(self.dataset, 'metainfo', {})

    @property
    def root(self) -> str:
        """Where the images come from (for messages): the image folder the dataset read."""
        prefix = getattr(self.dataset, 'data_prefix', None) or {}  # joined with data_root
        folder = next((str(v) for v in prefix.values() if v),
                      str(getattr(self.dataset, 'data_root', None) or '?'))
        return folder.rstrip('/') or folder

    def _path(self, idx: int) -> str:
        return _item_path(self.dataset.get_data_info(idx), idx)

    def _crop_mode(self) -> str:
        transforms = getattr(getattr(self.dataset, 'pipeline', None), 'transforms', [])
        return next((t.crop for t in transforms if isinstance(t, ResizeToTrainingScale)),
                    'center')

    def check_images(self, scales: Sequence[Tuple[int, int]]):
        """Refuse (or skip) images that cannot be read or are too small for a scale.

        Args:
            scales (list[tuple]): Every ``(h, w)`` training scale.

        Raises:
            ValueError: With ``bad_images='error'``, one line listing the
                files; with ``'skip'``, when no image is left.
        """
        crop = self._crop_mode()

        def fits(image: Tuple[int, int], scale: Tuple[int, int]) -> bool:
            _, _, ch, cw = crop_window(image, scale, 'center' if crop == 'random' else crop)
            return ch >= scale[0] and cw >= scale[1]

        paths = [self._path(i) for i in range(len(self.dataset))]
        unreadable, too_small = scan_images(paths, scales, fits)
        if not unreadable and not too_small:
            return
        message = bad_images_message(self.root, len(paths), unreadable, too_small)
        if self.bad_images == 'error':
            raise ValueError(f'{message}; remove or replace them, or set '
                             "bad_images='skip' in MultiScaleDataset to train without them")
        bad = {path for path, _ in unreadable + too_small}
        keep = [i for i, path in enumerate(paths) if path not in bad]
        if not keep:
            raise ValueError(f'{message}; no usable image is left')
        print_log(f'skipping them: {message}', logger='current', level=logging.WARNING)
        self.dataset.get_subset_(keep)

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
            path = _item_path(info, idx)
            raise ValueError(f'{path}: cannot load this image ({type(err).__name__}: {err})') \
                from None
