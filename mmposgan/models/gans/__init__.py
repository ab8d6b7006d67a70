from .ms_pie_stylegan2 import MultiScaleStyleGAN2, path_length_penalty
from .pe_singan import PositionalSinGAN

__all__ = ['PositionalSinGAN', 'MultiScaleStyleGAN2', 'path_length_penalty']
