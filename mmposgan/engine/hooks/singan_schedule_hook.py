"""Check a SinGAN's stage schedule against the Runner before the first iteration.

A SinGAN trains ``num_scales + 1`` stages of ``iters_per_scale *
discriminator_steps`` Runner iterations each, so ``train_cfg.max_iters``
must match them.  Changed without ``max_iters`` (e.g. ``iters_per_scale``
alone on the command line), training either stops inside a stage, or runs
past the last one and stops there with an error, hours in.  (A discriminator
with another number of stages is refused when the model is built.)
"""
from mmengine.hooks import Hook
from mmengine.logging import print_log

from mmposgan.registry import HOOKS
from mmposgan.utils.wrappers import unwrapped_module


def check_singan_schedule(model, max_iters: int) -> str:
    """Raise if ``max_iters`` does not fit the stages of the SinGAN ``model``.

    Args:
        model: A ``PositionalSinGAN`` (``num_scales``, ``stage_length``,
            ``iters_per_scale``, ``discriminator_steps``).
        max_iters (int): ``train_cfg.max_iters``.

    Returns:
        str: A note when training ends at a stage boundary before the last
        stage (a run to be resumed later); empty otherwise.

    Raises:
        ValueError: ``max_iters`` passes the last stage or ends inside a
            stage.  The message names the value that fits.
    """
    stages = model.num_scales + 1
    length = model.stage_length
    total = stages * length
    fits = (f'set train_cfg.max_iters = (num_scales + 1) * iters_per_scale * '
            f'discriminator_steps = {stages} * {model.iters_per_scale} * '
            f'{model.discriminator_steps} = {total}')
    if max_iters > total:
        raise ValueError(f'train_cfg.max_iters={max_iters} runs past the last SinGAN stage '
                         f'(num_scales={model.num_scales}, {length} iterations per stage); '
                         f'{fits}')
    if max_iters % length:
        raise ValueError(f'train_cfg.max_iters={max_iters} ends inside SinGAN stage '
                         f'{max_iters // length} ({length} iterations per stage: iters_per_scale='
                         f'{model.iters_per_scale} x discriminator_steps='
                         f'{model.discriminator_steps}); {fits}')
    if max_iters < total:
        return (f'training ends after stage {max_iters // length - 1} of 0..{model.num_scales} '
                f'(max_iters={max_iters}); resume with train_cfg.max_iters={total} to finish')
    return ''


@HOOKS.register_module()
class SinGANScheduleCheckHook(Hook):
    """Before training, :func:`check_singan_schedule` (errors stop the run at iteration 0).

    Args:
        None.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner):
        note = check_singan_schedule(unwrapped_module(runner.model), runner.max_iters)
        if note:
            print_log(note, logger='current')
