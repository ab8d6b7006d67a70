from .pe_singan import PositionalSinGAN

__all__ = ['PositionalSinGAN']
