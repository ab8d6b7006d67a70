from .singan import PositionalSinGANGenerator
from .stylegan2 import PositionalStyleGAN2Generator

__all__ = ['PositionalSinGANGenerator', 'PositionalStyleGAN2Generator']
