from .singan import PositionalSinGANGenerator

__all__ = ['PositionalSinGANGenerator']
