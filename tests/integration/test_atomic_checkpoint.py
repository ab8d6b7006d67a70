"""A checkpoint save that fails halfway (a full disk) leaves the last good checkpoint intact.

mmengine's CheckpointHook deletes the oldest kept checkpoint first and then
writes the new one in place: with ``max_keep_ckpts=1`` a failed save left a
truncated ``iter_N.pth`` and nothing loadable.  The failure is simulated at
the byte level on both write paths (mmengine's ``LocalBackend.put`` and
mmposgan's atomic writer): half the bytes are written, then ENOSPC.
"""
import errno
import os
import os.path as osp

import pytest
from mmengine.fileio.backends import local_backend
from mmengine.runner import Runner

import mmposgan.utils.cache as files
from mmposgan.utils import safe_torch_load
from .test_singan_training import tiny_cfg

pytestmark = pytest.mark.slow  # mmengine Runner (pytest.ini)


class _HalfWrite:
    """A file object that writes half of what it is given, then reports a full disk."""

    def __init__(self, f):
        self.f = f

    def write(self, data):
        self.f.write(data[:len(data) // 2])
        self.f.flush()
        raise OSError(errno.ENOSPC, 'No space left on device')

    def __getattr__(self, name):
        return getattr(self.f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()


def test_failed_save_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    cfg = tiny_cfg(tmp_path / 'work', max_iters=4)
    cfg.default_hooks.checkpoint.update(interval=2, max_keep_ckpts=1)
    cfg.custom_hooks = []
    calls = []

    def failing_write(f, data):  # mmposgan's atomic writer: the second checkpoint fails
        calls.append(len(data))
        if len(calls) == 2:
            return _HalfWrite(f).write(data)
        f.write(data)

    real_open = open

    def failing_open(path, mode='r', *args, **kwargs):  # mmengine's LocalBackend.put
        f = real_open(path, mode, *args, **kwargs)
        return _HalfWrite(f) if str(path).endswith('iter_4.pth') and 'w' in mode else f

    monkeypatch.setattr(files, '_write', failing_write, raising=False)
    monkeypatch.setattr(local_backend, 'open', failing_open, raising=False)
    runner = Runner.from_cfg(cfg)
    with pytest.raises(OSError, match='No space left'):
        runner.train()
    work = str(tmp_path / 'work')
    left = sorted(f for f in os.listdir(work) if not f.endswith('.py')
                  and not osp.isdir(osp.join(work, f)))  # (the config copy, the logs)
    assert left == ['iter_2.pth', 'last_checkpoint'], left  # no partial iter_4.pth, no temp file
    assert safe_torch_load(osp.join(work, 'iter_2.pth'))['meta']['iter'] == 2
    with open(osp.join(work, 'last_checkpoint')) as f:
        assert f.read().strip() == osp.join(work, 'iter_2.pth')

    monkeypatch.undo()  # the disk has room again: resume from what is left
    cfg.resume = True
    resumed = Runner.from_cfg(cfg)
    resumed.train()
    assert resumed.iter == 4
    assert sorted(f for f in os.listdir(work) if f.endswith('.pth')) == ['iter_4.pth']
