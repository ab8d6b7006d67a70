"""The one reader of training images: SinGAN's pyramid and MS-PIE's folders use it.

:func:`load_rgb_image` returns ``(H, W, 3)`` uint8 RGB for every file
Pillow or OpenCV can decode, with the same rules on both paths:

* the EXIF orientation is applied (phone photos are stored sideways);
* 16-bit images are divided by 257 (65535 -> 255), 32-bit integer ones by
  ``2**32 - 1`` (or by 257 when all values fit in 16 bits, as in
  16-bit PGM/TIFF files Pillow opens as 32-bit);
* float images are read as ``[0, 1]`` (values up to ``1 + 1/255`` are
  clipped); float images in ``[0, 255]`` are kept as they are, any other
  range is stretched to ``[0, 255]``; NaN or infinite values are an error;
* an alpha channel (``RGBA``, ``LA``, ``PA``, a palette with transparency)
  is composited onto white; palette, CMYK, YCbCr, grayscale and 1-bit
  images are converted to RGB.

Each kind of conversion is logged once per process, naming the first file
it was applied to (a folder of 70,000 RGBA PNGs logs one line).
:func:`image_size` reads only the header (with the EXIF rotation).
"""
import os.path as osp
from typing import Optional, Set, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.logging import print_log
from PIL import Image, ImageOps, UnidentifiedImageError

from mmposgan.registry import TRANSFORMS

#: Pillow modes with an alpha channel (or a palette that may hold one).
ALPHA_MODES = ('RGBA', 'LA', 'PA', 'RGBa', 'La')
#: EXIF orientations that swap width and height (rotations by 90 or 270 degrees).
TRANSPOSING = (5, 6, 7, 8)
_EXIF_ORIENTATION = 0x0112
_READ_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, cv2.error)

_noted: Set[str] = set()


class ImageReadError(ValueError):
    """A file that is not a readable image (one-line message naming it)."""


def _note_once(kind: str, message: str):
    if kind not in _noted:
        _noted.add(kind)
        print_log(f'{message} (logged once; later images are converted the same way)',
                  logger='current')


def _float_to_uint8(arr: np.ndarray, path: str) -> np.ndarray:
    if not np.isfinite(arr).all():
        raise ImageReadError(f'{path}: float image with NaN or infinite values')
    lo, hi = float(arr.min()), float(arr.max())
    if lo >= -1 / 255 and hi <= 1 + 1 / 255:
        _note_once('float01', f'{path}: float image read as [0, 1] and scaled to 8 bits')
        return np.round(np.clip(arr, 0, 1) * 255).astype(np.uint8)
    if lo >= 0 and hi <= 255:
        _note_once('float255', f'{path}: float image with values in [{lo:.3g}, {hi:.3g}] read '
                   'as 8-bit values')
        return np.round(arr).astype(np.uint8)
    _note_once('float-stretch', f'{path}: float image with values in [{lo:.3g}, {hi:.3g}] '
               'stretched to [0, 255]')
    return np.round((arr - lo) / (hi - lo) * 255).astype(np.uint8)


def _int_to_uint8(arr: np.ndarray, path: str, bits: Optional[int] = None) -> np.ndarray:
    """Integer samples of ``bits`` bits (16 or 32; from the data when None) to 8 bits."""
    if arr.dtype == np.uint8:
        return arr
    if bits is None:
        if arr.dtype.itemsize <= 2:
            bits = 16
        else:
            bits = 16 if arr.min() >= 0 and arr.max() <= 65535 else 32
    if arr.min() < 0:
        _note_once('int-signed', f'{path}: signed integer image stretched to [0, 255]')
        lo, hi = float(arr.min()), float(arr.max())
        return np.round((arr - lo) / max(hi - lo, 1) * 255).astype(np.uint8)
    _note_once(f'int{bits}', f'{path}: {bits}-bit image scaled to 8 bits')
    scale = 257.0 if bits == 16 else (2.0**32 - 1) / 255
    return np.round(arr.astype(np.float64) / scale).astype(np.uint8)


def _composite_on_white(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    a = alpha.astype(np.float64)[..., None] / 255
    return np.round(rgb.astype(np.float64) * a + 255 * (1 - a)).astype(np.uint8)


def _from_pillow(img: Image.Image, path: str) -> np.ndarray:
    mode = img.mode
    if mode == 'RGB':
        return np.asarray(img, dtype=np.uint8)
    if mode.startswith('I') or mode == 'F':  # 16/32-bit integer or 32-bit float, one channel
        arr = np.asarray(img)
        gray = _float_to_uint8(arr.astype(np.float64), path) if mode == 'F' else \
            _int_to_uint8(arr, path, 16 if mode.startswith('I;16') else None)
        return np.repeat(gray[..., None], 3, axis=2)
    if mode in ALPHA_MODES or (mode == 'P' and 'transparency' in img.info):
        _note_once('alpha', f'{path}: {mode} image with transparency, composited onto white')
        rgba = np.asarray(img.convert('RGBA'), dtype=np.uint8)
        return _composite_on_white(rgba[..., :3], rgba[..., 3])
    _note_once(f'mode-{mode}', f'{path}: {mode} image converted to RGB')
    return np.asarray(img.convert('RGB'), dtype=np.uint8)


def _from_opencv(path: str) -> np.ndarray:
    """Files Pillow cannot decode (e.g. 3-channel float or 16-bit TIFFs)."""
    arr = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if arr is None:
        raise ImageReadError(f'{path}: not a readable image file')
    if arr.ndim == 3 and arr.shape[2] not in (1, 3, 4):
        raise ImageReadError(f'{path}: image with {arr.shape[2]} channels (expected 1, 3 or 4)')
    arr = arr[..., None] if arr.ndim == 2 else arr
    if arr.dtype.kind == 'f':
        arr = _float_to_uint8(arr.astype(np.float64), path)
    else:
        arr = _int_to_uint8(arr, path, 16 if arr.dtype.itemsize == 2 else None)
    if arr.shape[2] == 1:
        return np.repeat(arr, 3, axis=2)
    rgb = arr[..., 2::-1]
    if arr.shape[2] == 4:
        _note_once('alpha', f'{path}: image with an alpha channel, composited onto white')
        return _composite_on_white(rgb, arr[..., 3])
    return np.ascontiguousarray(rgb)


def load_rgb_image(path: str) -> np.ndarray:
    """Read an image file as ``(H, W, 3)`` uint8 RGB (see the module docstring).

    Raises:
        FileNotFoundError: The file does not exist.
        ImageReadError: (a ``ValueError``) The file is not a readable image,
            or a float image holds NaN/inf.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'image not found: {path}')
    try:
        with Image.open(path) as img:
            img.load()
            orientation = img.getexif().get(_EXIF_ORIENTATION, 1)
            if orientation not in (None, 1):
                _note_once('exif', f'{path}: EXIF orientation {orientation} applied')
                img = ImageOps.exif_transpose(img)
            return np.array(_from_pillow(img, path), dtype=np.uint8, order='C')  # writable
    except ImageReadError:
        raise
    except UnidentifiedImageError:
        pass  # formats only OpenCV decodes; tried below
    except _READ_ERRORS as err:  # truncated or corrupt data
        raise ImageReadError(f'{path}: not a readable image ({type(err).__name__}: {err})') \
            from None
    try:
        return _from_opencv(path)
    except ImageReadError:
        raise
    except _READ_ERRORS as err:
        raise ImageReadError(f'{path}: not a readable image ({type(err).__name__}: {err})') \
            from None


def image_size(path: str) -> Tuple[int, int]:
    """``(height, width)`` as :func:`load_rgb_image` returns it, from the header when possible.

    Raises:
        FileNotFoundError, ImageReadError: As :func:`load_rgb_image`.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'image not found: {path}')
    try:
        with Image.open(path) as img:
            w, h = img.size
            if img.getexif().get(_EXIF_ORIENTATION, 1) in TRANSPOSING:
                w, h = h, w
            return h, w
    except _READ_ERRORS:
        return load_rgb_image(path).shape[:2]


@TRANSFORMS.register_module()
class LoadRGBImage(BaseTransform):
    """Pipeline step: ``results[key]`` = :func:`load_rgb_image` of ``results[f'{key}_path']``.

    The MS-PIE folder datasets use it instead of mmcv's ``LoadImageFromFile``
    so that both training paths read images alike.  Also sets
    ``ori_{key}_shape``, ``{key}_channel_order = 'rgb'`` and
    ``{key}_color_type = 'color'``, as mmagic's loader does.

    Args:
        key (str): Image key (``'gt'``).
    """

    def __init__(self, key: str = 'gt'):
        self.key = key

    def transform(self, results: dict) -> dict:
        path = results[f'{self.key}_path']
        img = load_rgb_image(path)
        results[self.key] = img
        results[f'ori_{self.key}_shape'] = img.shape
        results[f'{self.key}_channel_order'] = 'rgb'
        results[f'{self.key}_color_type'] = 'color'
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(key={self.key!r})'
