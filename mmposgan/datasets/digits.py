"""scikit-learn's bundled handwritten digits as an image dataset (padding-study experiment).

1797 centred 8x8 digits (UCI optical recognition set, shipped inside
scikit-learn, so nothing is downloaded).  Centred digits on a blank
background are strongly position dependent: the scaled-down test of the
paper's §4.2 claim that a padding-free generator loses spatial structure.
"""
from typing import List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dataset import BaseDataset

from mmposgan.registry import DATASETS

DIGITS_SIZE = 8
DIGITS_MAX = 16.0  # pixel values of load_digits are integers 0..16


def load_digit_images(size: int = 32, digits: Optional[Sequence[int]] = None) -> np.ndarray:
    """All digits as ``(N, size, size, 3)`` uint8, white strokes on black.

    The 8x8 images (values 0..16) are scaled to [0, 255] and bilinearly
    upsampled (``align_corners=False``, the pixel-centre convention) to
    ``size``, then replicated to three channels.

    Args:
        size (int): Output size (>= 8).
        digits (Sequence[int] | None): Keep only these classes (all if None).
    """
    from sklearn.datasets import load_digits
    if size < DIGITS_SIZE:
        raise ValueError(f'size must be >= {DIGITS_SIZE} (the digits are 8x8), got {size}')
    data = load_digits()
    images, labels = data.images, data.target
    if digits is not None:
        unknown = sorted(set(digits) - set(range(10)))
        if unknown:
            raise ValueError(f'digits must be classes 0..9, got {unknown}')
        keep = np.isin(labels, list(digits))
        images = images[keep]
    x = torch.from_numpy(images / DIGITS_MAX).float()[:, None]  # (N, 1, 8, 8) in [0, 1]
    if size != DIGITS_SIZE:
        x = F.interpolate(x, size=(size, size), mode='bilinear', align_corners=False)
    x = (x.clamp(0, 1) * 255).round().to(torch.uint8)
    return x.expand(-1, 3, -1, -1).permute(0, 2, 3, 1).contiguous().numpy()


@DATASETS.register_module()
class SklearnDigitsDataset(BaseDataset):
    """``sklearn.datasets.load_digits`` resized to ``size`` (see :func:`load_digit_images`).

    Each item is ``dict(gt=(size, size, 3) uint8, gt_path='digits/<index>')``,
    the layout mmagic's ``PackInputs`` expects.

    Args:
        size (int): Image size.
        digits (Sequence[int] | None): Classes to keep (all if None).
        pipeline (list): Transforms, usually ``[dict(type='PackInputs')]``.
    """

    METAINFO = dict(dataset_type='sklearn_digits', task_name='unconditional generation')

    def __init__(self, size: int = 32, digits: Optional[Sequence[int]] = None,
                 pipeline: Sequence = (), **kwargs):
        self.size = size
        self.digits = None if digits is None else list(digits)
        super().__init__(pipeline=list(pipeline), serialize_data=False, **kwargs)

    def load_data_list(self) -> List[dict]:
        images = load_digit_images(self.size, self.digits)
        return [dict(gt=img, gt_path=f'digits/{i}') for i, img in enumerate(images)]
