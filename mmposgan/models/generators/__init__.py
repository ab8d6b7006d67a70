from .dcgan import PaddingStudyDCGANGenerator
from .pggan import PaddingStudyPGGANGenerator
from .singan import PositionalSinGANGenerator
from .stylegan2 import PositionalStyleGAN2Generator

__all__ = [
    'PaddingStudyDCGANGenerator', 'PaddingStudyPGGANGenerator', 'PositionalSinGANGenerator',
    'PositionalStyleGAN2Generator'
]
