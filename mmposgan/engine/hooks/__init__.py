from .atomic_checkpoint_hook import AtomicCheckpointHook
from .best_snapshot_hook import BestSnapshotHook
from .cuda_training_hook import CUDATrainingHook
from .multi_scale_sample_hook import MultiScaleSampleHook
from .random_state_hook import RandomStateCheckpointHook
from .scale_schedule_hook import ScaleScheduleHook
from .singan_sample_hook import SinGANStageSampleHook
from .singan_schedule_hook import SinGANScheduleCheckHook
from .strict_load_hook import StrictLoadHook
from .unwrapped_state_dict_hook import UnwrappedStateDictHook

__all__ = ['SinGANStageSampleHook', 'MultiScaleSampleHook', 'ScaleScheduleHook',
           'RandomStateCheckpointHook', 'UnwrappedStateDictHook', 'BestSnapshotHook',
           'CUDATrainingHook', 'AtomicCheckpointHook', 'StrictLoadHook',
           'SinGANScheduleCheckHook']
