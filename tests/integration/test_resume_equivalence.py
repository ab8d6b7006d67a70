"""An interrupted training resumed from its last checkpoint ends where the uninterrupted run ends.

A crash right after iteration k leaves exactly the checkpoint the
uninterrupted run wrote at k, so the test trains N iterations straight
(saving every k), resumes a fresh Runner from ``iter_k.pth`` to N, and
compares every parameter and buffer (EMA generator, SinGAN stage state)
and the optimizer state.  Without the random state in the checkpoint
(``RandomStateCheckpointHook``) the resumed run draws other latents and noise
and ends elsewhere, which the last test shows.
"""
import copy
import os.path as osp

import pytest
import torch
from mmengine.runner import Runner

from mmposgan.utils import safe_torch_load
from . import test_ms_pie_training as ms_pie
from . import test_singan_training as singan

pytestmark = pytest.mark.slow  # mmengine Runner / subprocess (pytest.ini)


def train(cfg, work_dir, resume_from=None, drop_random_state=False):
    cfg = copy.deepcopy(cfg)
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = osp.basename(str(work_dir))
    if resume_from is not None:
        cfg.resume, cfg.load_from = True, resume_from
    if drop_random_state:
        cfg.default_hooks.pop('random_state')
    runner = Runner.from_cfg(cfg)
    runner.train()
    return runner


def assert_same_training_state(a, b):
    sa, sb = a.model.state_dict(), b.model.state_dict()
    assert sa.keys() == sb.keys()
    for key in sa:
        assert torch.equal(sa[key], sb[key]), key
    oa, ob = a.optim_wrapper.state_dict(), b.optim_wrapper.state_dict()
    assert oa.keys() == ob.keys()
    for name in oa:
        for pid, state in oa[name]['state'].items():
            for k, v in state.items():
                assert torch.equal(torch.as_tensor(v), torch.as_tensor(
                    ob[name]['state'][pid][k])), (name, pid, k)


@pytest.fixture(scope='module')
def ms_pie_straight(tmp_path_factory):
    """Tiny MS-PIE: 4 iterations over the scales 32/48/64, checkpoints every 2."""
    tmp_path = tmp_path_factory.mktemp('ms_pie')
    cfg = ms_pie.tiny_cfg(tmp_path)
    cfg.train_cfg.max_iters = 4
    cfg.default_hooks.checkpoint.interval = 2
    cfg.custom_hooks = [dict(type='ScaleScheduleHook'),  # sampling must not disturb the RNG
                        dict(type='MultiScaleSampleHook', scales=None, interval=2, num_samples=2)]
    return cfg, train(cfg, tmp_path / 'straight'), tmp_path


@pytest.fixture(scope='module')
def singan_straight(tmp_path_factory):
    """Tiny PE-SinGAN: 2 stages of 4 iterations, checkpoints every 2."""
    tmp_path = tmp_path_factory.mktemp('singan')
    cfg = singan.tiny_cfg(tmp_path / 'work')
    cfg.default_hooks.checkpoint.interval = 2
    return cfg, train(cfg, tmp_path / 'straight'), tmp_path


def test_checkpoint_holds_random_state_loadable_safely(ms_pie_straight):
    _, _, tmp_path = ms_pie_straight
    ckpt = safe_torch_load(str(tmp_path / 'straight' / 'iter_2.pth'))  # weights_only, allow list
    saved = ckpt['rng_state']
    assert saved['world_size'] == 1 and {'python', 'numpy', 'torch'} <= set(saved['states'][0])


def test_ms_pie_resume_matches_uninterrupted_run(ms_pie_straight):
    cfg, straight, tmp_path = ms_pie_straight
    resumed = train(cfg, tmp_path / 'resumed', str(tmp_path / 'straight' / 'iter_2.pth'))
    assert resumed.iter == straight.iter == 4
    assert any('ema' in k for k in straight.model.state_dict())  # the EMA generator is compared
    assert_same_training_state(straight, resumed)


@pytest.mark.parametrize('resume_at', [4, 6], ids=['stage-boundary', 'mid-stage'])
def test_singan_resume_matches_uninterrupted_run(singan_straight, resume_at):
    cfg, straight, tmp_path = singan_straight
    resumed = train(cfg, tmp_path / f'resumed{resume_at}',
                    str(tmp_path / 'straight' / f'iter_{resume_at}.pth'))
    assert resumed.model.curr_stage == straight.model.curr_stage == 1
    assert_same_training_state(straight, resumed)


def test_without_the_random_state_resume_diverges(singan_straight):
    cfg, straight, tmp_path = singan_straight
    resumed = train(cfg, tmp_path / 'no_rng', str(tmp_path / 'straight' / 'iter_6.pth'),
                    drop_random_state=True)
    assert not any(type(h).__name__ == 'RandomStateCheckpointHook' for h in resumed.hooks)
    with pytest.raises(AssertionError):
        assert_same_training_state(straight, resumed)
