from .single_image import SingleImagePyramidDataset, load_rgb_image

__all__ = ['SingleImagePyramidDataset', 'load_rgb_image']
