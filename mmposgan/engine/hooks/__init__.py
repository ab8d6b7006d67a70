from .multi_scale_sample_hook import MultiScaleSampleHook
from .scale_schedule_hook import ScaleScheduleHook
from .singan_sample_hook import SinGANStageSampleHook

__all__ = ['SinGANStageSampleHook', 'MultiScaleSampleHook', 'ScaleScheduleHook']
