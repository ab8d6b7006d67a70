"""Checkpoints that are not loadable, or do not fit the model, stop with one clear line.

Covers ``safe_torch_load`` / ``init_model`` (corrupt files), ``init_model``
(missing, unexpected, reshaped weights; ``strict=False``) and the Runner's
``load_from`` / ``resume`` (``StrictLoadHook``: mmengine alone loads
non-strictly and only logs).
"""
import copy
import os.path as osp
import re

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmposgan.apis import init_model
from mmposgan.utils import safe_torch_load
from mmposgan.utils.safe_load import CheckpointFileError
from mmposgan.utils.state_dict_check import CheckpointMismatchError
from ..conftest import REPO

DIGITS = osp.join(REPO, 'configs', 'padding_study',
                  'dcgan-wgangp_zero-pad_1xb32-1kiters_digits-32.py')


@pytest.fixture(scope='module')
def saved(tmp_path_factory):
    """A DCGAN (digits config) with random weights, saved as mmengine saves models."""
    folder = tmp_path_factory.mktemp('ckpt')
    model = init_model(DIGITS)
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
    state = {k: v.clone() for k, v in model.state_dict().items()}
    torch.save(dict(meta=dict(iter=0), state_dict=state), folder / 'good.pth')
    return state, folder


def corrupt(kind, good: bytes) -> bytes:
    return {'empty': b'', 'truncated': good[:len(good) // 2],
            'html': b'<!DOCTYPE html><html><body>Sign in to continue</body></html>',
            'random': np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes()
            }[kind]


@pytest.mark.parametrize('kind', ['empty', 'truncated', 'html', 'random'])
def test_unloadable_files_are_named_as_such(saved, kind):
    _, folder = saved
    path = folder / f'{kind}.pth'
    path.write_bytes(corrupt(kind, (folder / 'good.pth').read_bytes()))
    expected = re.escape(f'{path}: not a loadable checkpoint (truncated or corrupt?)')
    with pytest.raises(CheckpointFileError, match=f'^{expected}$'):
        safe_torch_load(str(path))
    with pytest.raises(CheckpointFileError, match=f'^{expected}$'):  # mmengine's loader scheme
        init_model(DIGITS, str(path))


def _variant(saved, name, edit):
    state, folder = saved
    state = copy.copy(state)
    edit(state)
    path = folder / f'{name}.pth'
    torch.save(dict(meta=dict(iter=0), state_dict=state), path)
    return str(path)


def test_fitting_checkpoint_loads_every_weight(saved):
    state, folder = saved
    model = init_model(DIGITS, str(folder / 'good.pth'))
    assert all(torch.equal(model.state_dict()[k], v) for k, v in state.items())


@pytest.mark.parametrize('edit,message', [
    (lambda s: s.pop('generator.noise2feat.weight'),
     r'1 weights of the model are not in the checkpoint \(generator\.noise2feat\.weight\)'),
    (lambda s: s.__setitem__('generator.extra.weight', torch.ones(3)),
     r'1 weights of the checkpoint are not in the model \(generator\.extra\.weight\)'),
    (lambda s: s.__setitem__('discriminator.fc.weight', torch.ones(1, 7)),
     r'1 weights differ in shape \(size mismatch for discriminator\.fc\.weight'),
], ids=['missing', 'unexpected', 'shape'])
def test_init_model_refuses_a_checkpoint_that_does_not_fit(saved, edit, message):
    path = _variant(saved, message[:8].strip(), edit)
    with pytest.raises(CheckpointMismatchError, match=message) as info:
        init_model(DIGITS, path)
    assert '\n' not in str(info.value) and 'does not fit the model' in str(info.value)
    assert '--partial-load' in str(info.value)


def test_partial_load_is_explicit(saved):
    state, _ = saved
    path = _variant(saved, 'partial', lambda s: s.pop('generator.noise2feat.weight'))
    model = init_model(DIGITS, path, strict=False)
    assert torch.equal(model.state_dict()['generator.noise2feat.bias'],
                       state['generator.noise2feat.bias'])


def _runner(tmp_path, load_from, **hook):
    cfg = Config.fromfile(DIGITS)
    cfg.work_dir = str(tmp_path / 'work')
    cfg.load_from = load_from
    cfg.train_cfg.max_iters = 1
    cfg.train_dataloader.batch_size = 4
    cfg.default_hooks.logger.interval = 1
    cfg.default_hooks.strict_load.update(hook)
    return Runner.from_cfg(cfg)


@pytest.mark.slow  # Runner
def test_runner_load_from_is_strict_unless_partial(saved, tmp_path):
    """mmengine alone trains on with the missing weight random (it logs a warning)."""
    state, _ = saved
    path = _variant(saved, 'missing_runner', lambda s: s.pop('generator.noise2feat.weight'))
    runner = _runner(tmp_path, path)
    with pytest.raises(CheckpointMismatchError, match=re.escape(path) + '.*noise2feat.weight'):
        runner.train()
    assert runner.iter == 0
    runner = _runner(tmp_path, path, partial=True)
    runner.train()  # loads the rest, trains
    assert runner.iter == 1
    fresh = _runner(tmp_path, str(saved[1] / 'good.pth'))
    fresh.call_hook('before_run')
    fresh.load_or_resume()
    assert torch.equal(fresh.model.state_dict()['generator.noise2feat.weight'],
                       state['generator.noise2feat.weight'])
