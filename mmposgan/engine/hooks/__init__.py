from .singan_sample_hook import SinGANStageSampleHook

__all__ = ['SinGANStageSampleHook']
