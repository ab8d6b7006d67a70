"""Checkpoints loaded by the Runner fit the model, and ``resume`` resumes something.

Changes to mmengine 0.10's Runner behaviour (through hook calls, nothing is
patched):

* ``load_from`` and ``resume`` load non-strictly in mmengine: missing or
  unexpected weights are only logged, so training or evaluation runs with a
  partly random model.  Here a checkpoint that does not fit the model (keys,
  shapes, or a converted release made for another structure) stops the run
  with one line naming both sides, unless a partial load is asked for.
* ``resume=True`` without ``load_from`` resumes from the work dir's
  ``last_checkpoint``; when there is none, mmengine logs "Auto resumed from
  the latest checkpoint None." and trains from scratch.  Here that is an
  error, unless starting fresh is asked for.
* Resuming from a file that holds only weights (a released or converted
  checkpoint: no iteration, optimizer or message hub) fails in mmengine with
  a bare ``KeyError``; here it says to use ``load_from``.
"""
import logging
import os.path as osp

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner.checkpoint import find_latest_checkpoint

from mmposgan.converters.architecture import check_converted_architecture
from mmposgan.registry import HOOKS
from mmposgan.utils.state_dict_check import load_state_dict_strictly
from mmposgan.utils.wrappers import state_dict_of, unwrapped_module


class NothingToResumeError(FileNotFoundError):
    """``resume`` was asked for but the work dir holds no checkpoint."""


def _source(runner) -> str:
    """The file the Runner loads (what ``Runner.load_or_resume`` picks)."""
    if runner._load_from is not None:
        return str(runner._load_from)
    return str(find_latest_checkpoint(runner.work_dir) or runner.work_dir)


@HOOKS.register_module()
class StrictLoadHook(Hook):
    """Refuse checkpoints that do not fit and resumes that find nothing.

    Runs after every other ``after_load_checkpoint`` hook (they may rename
    keys, e.g. ``UnwrappedStateDictHook``) and loads the weights itself with
    :func:`~mmposgan.utils.state_dict_check.load_state_dict_strictly`;
    mmengine's own non-strict load that follows then finds every key.

    Args:
        partial (bool): Load what fits and only log the rest (mmengine's
            behaviour); ``tools/train.py`` / ``tools/test.py
            --partial-load``.
        fresh_start (bool): With ``resume`` and no checkpoint in the work dir,
            train from scratch with a warning instead of stopping;
            ``tools/train.py --resume --allow-fresh-start``.
    """

    priority = 'LOWEST'

    def __init__(self, partial: bool = False, fresh_start: bool = False):
        self.partial = partial
        self.fresh_start = fresh_start

    def before_run(self, runner):
        if not runner._resume or runner._load_from is not None:
            return
        if find_latest_checkpoint(runner.work_dir) is not None:
            return
        where = osp.join(runner.work_dir, 'last_checkpoint')
        if self.fresh_start:
            print_log(f'resume: no checkpoint in {runner.work_dir} ({where} does not exist); '
                      'starting from scratch as asked', logger='current', level=logging.WARNING)
            return
        raise NothingToResumeError(
            f'resume: no checkpoint to resume from in the work dir {runner.work_dir} '
            f'({where} does not exist); pass the checkpoint (--resume PATH), the work dir of '
            'the run to continue (--work-dir), or --allow-fresh-start to train from scratch')

    def after_load_checkpoint(self, runner, checkpoint: dict):
        source = _source(runner)
        if runner._resume and not {'message_hub', 'meta'} <= set(checkpoint):
            raise ValueError(f'{source} holds only weights (no iteration, optimizer or message '
                             'hub), so training cannot resume from it; start from its weights '
                             'with load_from (--cfg-options load_from=PATH) instead of --resume')
        if self.partial:
            return
        check_converted_architecture(runner.cfg, checkpoint, source)
        model = unwrapped_module(runner.model)
        load_state_dict_strictly(model, state_dict_of(checkpoint, model), source)
