"""Save the random number generators in checkpoints; restore them on resume.

mmengine's checkpoints hold weights, optimizer, schedulers and the message
hub but no random state: a resumed GAN draws different latents, injected
noise (StyleGAN2's per-layer noise, SinGAN's per-stage noise), style-mixing
cut points and R1/path-length batches than the uninterrupted run, so the two
end with different weights.  With this hook they end with the same ones.
"""
import random
import warnings
from typing import List, Optional

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_dist_info
from mmengine.hooks import CheckpointHook, Hook
from mmengine.runner import BaseLoop, IterBasedTrainLoop

from mmposgan.registry import HOOKS

CHECKPOINT_KEY = 'rng_state'


def get_random_state() -> dict:
    """The state of Python's, numpy's and torch's (CPU and CUDA) global generators.

    Only plain types and tensors, so checkpoints stay loadable with
    ``weights_only=True`` without widening the allow list.
    """
    name, key, pos, has_gauss, cached = np.random.get_state()
    state = dict(python=random.getstate(), torch=torch.get_rng_state(),
                 numpy=dict(name=str(name), key=torch.from_numpy(key.astype(np.int64)),
                            pos=int(pos), has_gauss=int(has_gauss), cached_gaussian=float(cached)))
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def set_random_state(state: dict):
    """Inverse of :func:`get_random_state`."""
    random.setstate(_as_tuples(state['python']))
    torch.set_rng_state(state['torch'].cpu())
    npy = state['numpy']
    np.random.set_state((npy['name'], npy['key'].numpy().astype(np.uint32), npy['pos'],
                         npy['has_gauss'], npy['cached_gaussian']))
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([s.cpu() for s in state['cuda']])


def _as_tuples(value):
    """``random.setstate`` wants tuples; a round trip through a checkpoint may give lists."""
    if isinstance(value, (list, tuple)):
        return tuple(_as_tuples(v) for v in value)
    return value


class _RestoreBeforeBatch:
    """Wraps a loop's dataloader iterator; restores ``state`` before the first new batch.

    On resume, mmengine's ``IterBasedTrainLoop`` first draws ``runner.iter``
    batches to advance the data pipeline, which consumes random numbers in
    the main process.  The uninterrupted run saved its state right before
    drawing batch ``runner.iter``, so that is where it is restored.  A loop
    that starts at iteration 0 (``load_from``, not a resume) restores nothing.
    """

    def __init__(self, loop: IterBasedTrainLoop, state: dict):
        self.loop, self.state = loop, state
        self.inner = loop.dataloader_iterator
        self.calls, self.skip = 0, None

    def __iter__(self):
        return self

    def __next__(self):
        if self.skip is None:
            self.skip = self.loop.iter
        if self.calls == self.skip:
            self.loop.dataloader_iterator = self.inner  # unwrap: once only
            if self.skip > 0:
                set_random_state(self.state)
        self.calls += 1
        return next(self.inner)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@HOOKS.register_module()
class RandomStateCheckpointHook(Hook):
    """Keep the global random generators in checkpoints so resume is exact.

    Saves, in every checkpoint under ``'rng_state'``, the state of Python's
    ``random``, numpy's and torch's (CPU and every CUDA device) global
    generators of each rank, and restores them when a run resumes, right
    before the first batch after the checkpoint.  Then an interrupted
    training resumed from its last checkpoint ends with the same weights as
    the uninterrupted run of the same seed (``tests/integration/test_resume_equivalence.py``).

    The model's own state needs no help: SinGAN's fixed noises, noise
    weights and current stage are buffers in its ``state_dict``; the MS-PIE
    scale of iteration ``t`` is a function of ``(seed, t)``.

    Distributed runs gather every rank's state on the iterations the
    ``CheckpointHook`` saves; resuming with another world size warns and
    continues without restoring.  Generators a model keeps as attributes
    (``torch.Generator`` objects) are not covered; mmposgan's models have none.

    Args:
        None.
    """

    priority = 85  # after the sample hooks (LOW, 70), before CheckpointHook (VERY_LOW, 90)

    def __init__(self):
        self._gathered: Optional[List[dict]] = None
        self._pending: Optional[dict] = None  # epoch-based loops: restored before an epoch

    def _checkpoint_hooks(self, runner) -> List[CheckpointHook]:
        return [h for h in runner.hooks if isinstance(h, CheckpointHook)]

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None):
        self._gathered = None
        if get_dist_info()[1] == 1:
            return
        saves = any(
            h.every_n_train_iters(runner, h.interval, h.save_begin)
            or (h.save_last and h.is_last_train_iter(runner))
            for h in self._checkpoint_hooks(runner) if not h.by_epoch)
        if saves:  # collective: every rank reaches it on the same iterations
            self._gathered = all_gather_object(get_random_state())

    def before_save_checkpoint(self, runner, checkpoint: dict):
        rank, world_size = get_dist_info()
        states = [get_random_state()] if world_size == 1 else self._gathered
        checkpoint[CHECKPOINT_KEY] = dict(world_size=world_size, states=states)

    def after_load_checkpoint(self, runner, checkpoint: dict):
        saved = checkpoint.get(CHECKPOINT_KEY)
        loop = runner._train_loop
        if saved is None or not isinstance(loop, BaseLoop):
            return  # no state saved, or not loading for training
        rank, world_size = get_dist_info()
        if saved['states'] is None or saved['world_size'] != world_size:
            warnings.warn(f'the checkpoint holds the random state of {saved["world_size"]} '
                          f'process(es) (None: not gathered) but this run has {world_size}; '
                          'continuing without restoring it, so the run will not repeat the '
                          'uninterrupted one exactly')
            return
        state = saved['states'][rank]
        if isinstance(loop, IterBasedTrainLoop):
            loop.dataloader_iterator = _RestoreBeforeBatch(loop, state)
        else:
            self._pending = state

    def before_train_epoch(self, runner):
        if self._pending is not None and runner.iter > 0:  # resumed, not just load_from
            set_random_state(self._pending)
        self._pending = None
