"""Checkpoints of distributed GAN training keep their keys loadable.

GANs train with ``MMSeparateDistributedDataParallel``: the generator and the
discriminator are each wrapped in DDP *inside* the model.  mmengine 0.10
saves ``model.state_dict()`` (keys ``generator.module.<name>``) but loads
with a loader that unwraps inner DDP wrappers (expects ``generator.<name>``),
so resuming a distributed run silently starts from fresh weights (a
non-strict load that only logs missing keys), and ``init_model`` cannot read
the file either.
"""
from mmengine.hooks import Hook
from mmengine.runner.checkpoint import get_state_dict, weights_to_cpu

from mmposgan.registry import HOOKS
from mmposgan.utils.wrappers import strip_inner_wrapper_keys, unwrapped_module


@HOOKS.register_module()
class UnwrappedStateDictHook(Hook):
    """Save model weights under unwrapped names; read old wrapped ones too.

    ``before_save_checkpoint`` replaces the checkpoint's ``state_dict`` by
    mmengine's :func:`get_state_dict` of the model, which skips every model
    wrapper, including the DDP wrappers inside a GAN (single-process runs:
    identical keys and values).  ``after_load_checkpoint`` (which mmengine
    calls before it loads the weights into the model) renames keys of files
    written without this hook (:func:`strip_inner_wrapper_keys`).

    Args:
        None.
    """

    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint: dict):
        checkpoint['state_dict'] = weights_to_cpu(get_state_dict(unwrapped_module(runner.model)))

    def after_load_checkpoint(self, runner, checkpoint: dict):
        if 'state_dict' in checkpoint:
            checkpoint['state_dict'] = strip_inner_wrapper_keys(checkpoint['state_dict'],
                                                                runner.model)
