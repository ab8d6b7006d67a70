from .digits import SklearnDigitsDataset, load_digit_images
from .multi_scale import MultiScaleDataset, ResizeToTrainingScale
from .scale_schedule import MultiScaleBatchSampler, ScaleSchedule
from .single_image import SingleImagePyramidDataset, load_rgb_image

__all__ = [
    'SingleImagePyramidDataset', 'load_rgb_image', 'ScaleSchedule', 'MultiScaleBatchSampler',
    'MultiScaleDataset', 'ResizeToTrainingScale', 'SklearnDigitsDataset', 'load_digit_images'
]
