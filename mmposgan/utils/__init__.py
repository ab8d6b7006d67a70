from .checkpoint import (SAFE_GLOBALS, load_checkpoint, register_checkpoint_loaders,
                         safe_torch_load)

__all__ = ['SAFE_GLOBALS', 'load_checkpoint', 'register_checkpoint_loaders', 'safe_torch_load']
