from .checkpoint import SAFE_GLOBALS, load_checkpoint, register_checkpoint_loaders, safe_torch_load
from .packaging import register_all_modules

__all__ = ['SAFE_GLOBALS', 'load_checkpoint', 'register_checkpoint_loaders', 'safe_torch_load',
           'register_all_modules']
