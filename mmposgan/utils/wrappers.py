"""The module inside mmengine's model wrappers (and a GAN's sampling generator), and
state-dict keys written through them."""
import re
from collections import OrderedDict

from mmengine.model import is_model_wrapper


def unwrapped_module(model):
    """``model`` without an outer model wrapper (DDP, MMSeparateDDP, ...)."""
    return model.module if is_model_wrapper(model) else model


def samples_with_ema(model, use_ema: bool = True) -> bool:
    """Whether ``model`` samples with its EMA generator: it has one and ``use_ema``."""
    return bool(use_ema and getattr(unwrapped_module(model), 'with_ema_gen', False))


def sampling_generator(model, use_ema: bool = True):
    """The generator ``model`` samples with: its EMA copy if :func:`samples_with_ema`,
    unwrapped from DDP and from the EMA wrapper."""
    model = unwrapped_module(model)
    generator = model.generator_ema if samples_with_ema(model, use_ema) else model.generator
    return getattr(generator, 'module', generator)  # DDP or EMA wrapper


def strip_inner_wrapper_keys(state_dict: dict, model) -> dict:
    """Drop the ``.module`` that a DDP wrapper around a child of ``model`` put in keys.

    Only children for which the unwrapped ``model`` has no submodule named
    ``module`` are touched, so an EMA copy (``generator_ema.module.*``, a real
    submodule) keeps its keys.

    Args:
        state_dict (dict): Keys as saved, e.g. ``generator.module.conv1.bias``.
        model (nn.Module): The (possibly wrapped) model the keys are for.

    Returns:
        dict: The same mapping with ``<child>.module.`` -> ``<child>.``.
    """
    model = unwrapped_module(model)
    children = dict(model.named_children())
    wrapped = {name for name, child in children.items()
               if not hasattr(unwrapped_module(child), 'module') or is_model_wrapper(child)}
    if not wrapped:
        return state_dict
    pattern = re.compile(r'^(' + '|'.join(map(re.escape, sorted(wrapped))) + r')\.module\.')
    out = type(state_dict)((pattern.sub(r'\1.', k), v) for k, v in state_dict.items())
    if hasattr(state_dict, '_metadata'):
        out._metadata = state_dict._metadata
    return out


def state_dict_of(checkpoint: dict, model) -> dict:
    """The weights of a loaded checkpoint with keys as ``model`` names them.

    mmengine's ``revise_keys`` default (a leading ``module.`` removed) and
    :func:`strip_inner_wrapper_keys` (``generator.module.*`` of DDP wrappers
    inside a GAN).
    """
    state_dict = checkpoint.get('state_dict', checkpoint)
    metadata = getattr(state_dict, '_metadata', OrderedDict())
    state_dict = OrderedDict((re.sub(r'^module\.', '', k), v) for k, v in state_dict.items())
    state_dict._metadata = metadata
    return strip_inner_wrapper_keys(state_dict, model)
