"""Checkpoints written atomically; old ones deleted only after the new one is complete.

mmengine 0.10's ``CheckpointHook`` first deletes the oldest kept checkpoint,
then writes the new one with a plain ``open(path, 'wb')``.  A failure while
writing (a full disk, a killed job) leaves a truncated ``iter_N.pth`` under
its final name, and with ``max_keep_ckpts=1`` no loadable checkpoint at all.

:class:`AtomicCheckpointHook` (a ``CheckpointHook``, same arguments) changes
two things, without patching mmengine:

* local files are written through the file backend ``mmposgan_atomic_local``
  (:class:`AtomicLocalBackend`, registered with mmengine's
  ``register_backend``): temporary file, flush, fsync, rename;
* deletions of old checkpoints requested while saving are carried out only
  after the new checkpoint has been written.
"""
from typing import List, Optional

from mmengine.fileio import LocalBackend, register_backend
from mmengine.hooks import CheckpointHook

from mmposgan.registry import HOOKS
from mmposgan.utils.cache import atomic_write_bytes

BACKEND = 'mmposgan_atomic_local'


@register_backend(BACKEND, force=True)
class AtomicLocalBackend(LocalBackend):
    """mmengine's local file backend whose writes are atomic (:func:`atomic_write_bytes`)."""

    def put(self, obj: bytes, filepath) -> None:
        atomic_write_bytes(str(filepath), obj)

    def put_text(self, obj: str, filepath, encoding: str = 'utf-8') -> None:
        atomic_write_bytes(str(filepath), obj.encode(encoding))


class _DeferredRemovals:
    """A file backend whose ``remove`` / ``rmtree`` are queued, everything else passed on."""

    def __init__(self, backend, queue: List):
        self._backend, self._queue = backend, queue

    def remove(self, path):
        self._queue.append((self._backend.remove, path))

    def rmtree(self, path):
        self._queue.append((self._backend.rmtree, path))

    def __getattr__(self, name):
        return getattr(self._backend, name)


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """``CheckpointHook`` that never leaves a partial checkpoint or loses the last good one.

    Arguments as mmengine's ``CheckpointHook``; without ``backend_args`` (or
    with ``backend='local'``) files are written by :class:`AtomicLocalBackend`.
    Other backends (object stores) are used as given.
    """

    def __init__(self, *args, backend_args: Optional[dict] = None, **kwargs):
        if backend_args is None or backend_args.get('backend') == 'local':
            backend_args = dict(backend_args or {}, backend=BACKEND)
        super().__init__(*args, backend_args=backend_args, **kwargs)

    def _save_checkpoint_with_step(self, runner, step, meta):
        queue = []
        backend = self.file_backend
        self.file_backend = _DeferredRemovals(backend, queue)
        try:
            super()._save_checkpoint_with_step(runner, step, meta)
        finally:
            self.file_backend = backend
        for remove, path in queue:  # reached only when the new checkpoint is complete
            remove(path)
