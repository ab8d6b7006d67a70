from .singan import PositionalSinGANDiscriminator

__all__ = ['PositionalSinGANDiscriminator']
