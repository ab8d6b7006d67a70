from .singan import PositionalSinGANDiscriminator
from .stylegan2 import MultiScaleStyleGAN2Discriminator

__all__ = ['PositionalSinGANDiscriminator', 'MultiScaleStyleGAN2Discriminator']
