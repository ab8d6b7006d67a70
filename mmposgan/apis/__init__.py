from .inference import (init_model, load_generator, make_seamless, sample_multiscale, sample_singan,
                        sample_unconditional, sampling_generator, save_image_grid, to_uint8)
from .sampling import SampleSet, register_sampler, sample, sample_options, sampler_for

__all__ = [
    'init_model', 'load_generator', 'sample_singan', 'sample_multiscale', 'sample_unconditional',
    'save_image_grid', 'to_uint8', 'make_seamless', 'sampling_generator', 'sample', 'SampleSet',
    'register_sampler', 'sample_options', 'sampler_for'
]
