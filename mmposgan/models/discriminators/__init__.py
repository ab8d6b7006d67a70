from .dcgan import PaddingStudyDCGANDiscriminator
from .singan import PositionalSinGANDiscriminator
from .stylegan2 import MultiScaleStyleGAN2Discriminator

__all__ = [
    'PaddingStudyDCGANDiscriminator', 'PositionalSinGANDiscriminator',
    'MultiScaleStyleGAN2Discriminator'
]
