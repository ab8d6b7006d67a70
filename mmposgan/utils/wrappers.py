"""The module inside mmengine's model wrappers."""
from mmengine.model import is_model_wrapper


def unwrapped_module(model):
    """``model`` without an outer model wrapper (DDP, MMSeparateDDP, ...)."""
    return model.module if is_model_wrapper(model) else model
