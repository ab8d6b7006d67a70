"""PE-SinGAN end to end through mmengine's Runner on a tiny pyramid of the shipped image."""
import copy
import math
import os.path as osp
import subprocess
import sys
import uuid

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from PIL import Image

from mmposgan.apis import init_model
from mmposgan.utils import safe_torch_load
from ..conftest import BALLOONS, REPO

pytestmark = pytest.mark.slow  # mmengine Runner / subprocess (pytest.ini)


BASE = osp.join(REPO, 'configs', 'pe_singan', 'singan_spe-8ch_1xb1_balloons.py')
STAGE_LEN = 4  # iters_per_scale 2 x discriminator_steps 2


def tiny_cfg(work_dir, max_iters=2 * STAGE_LEN, num_scales=1, **model):
    cfg = Config.fromfile(BASE)
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'tiny_{uuid.uuid4().hex[:8]}'
    cfg.train_dataloader.dataset.update(data_root=BALLOONS, min_size=25, max_size=40)
    cfg.model.update(num_scales=num_scales, iters_per_scale=2, discriminator_steps=2,
                     generator_steps=1, lr_scheduler_args=dict(milestones=[1], gamma=0.1),
                     **model)
    cfg.model.generator.update(num_scales=num_scales, base_channels=8, min_feat_channels=8)
    cfg.model.discriminator.update(num_scales=num_scales, base_channels=8, min_feat_channels=8)
    cfg.train_cfg.max_iters = max_iters
    cfg.default_hooks.checkpoint.interval = STAGE_LEN
    cfg.default_hooks.logger.interval = 1
    cfg.custom_hooks = [dict(type='SinGANStageSampleHook', num_samples=2,
                             size_scales=[(1.0, 1.0), (1.0, 1.5)])]
    cfg.randomness = dict(seed=0)
    return cfg


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('singan')
    cfg = tiny_cfg(work_dir)
    runner = Runner.from_cfg(copy.deepcopy(cfg))
    runner.train()
    return cfg, runner


def test_training_finishes_with_finite_losses_and_pngs(trained):
    cfg, runner = trained
    model = runner.model
    assert model.curr_stage == 1 and len(model.noise_weights) == 2 and model.noise_weights[1] > 0
    losses = {k: v.current() for k, v in runner.message_hub.log_scalars.items() if 'loss' in k}
    assert {'train/loss_gen', 'train/loss_mse', 'train/loss_gp'} <= set(losses)
    assert all(math.isfinite(v) for v in losses.values())
    for stage in (0, 1):
        for tag in ('recon', 'x1x1', 'x1x1.5'):
            assert osp.isfile(osp.join(cfg.work_dir, 'vis', f'stage{stage:02d}_{tag}.png'))
    wide = Image.open(osp.join(cfg.work_dir, 'vis', 'stage01_x1x1.5.png'))
    normal = Image.open(osp.join(cfg.work_dir, 'vis', 'stage01_x1x1.png'))
    assert wide.size[0] > normal.size[0] and wide.size[1] == normal.size[1]


def test_checkpoint_alone_samples_identically(trained):
    cfg, runner = trained
    ckpt = osp.join(cfg.work_dir, f'iter_{2 * STAGE_LEN}.pth')
    state = safe_torch_load(ckpt)['state_dict']  # weights_only=True with the allow list
    assert {'state.fixed_noise_0', 'state.fixed_noise_1', 'state.noise_weights_'} <= set(state)
    loaded = init_model(cfg, ckpt)
    trained_model = runner.model.eval()
    assert loaded.curr_stage == 1 and loaded.noise_weights == trained_model.noise_weights
    for kwargs in (dict(num_samples=2, seed=3), dict(mode='recon'),
                   dict(num_samples=1, seed=5, size_scale=(1.0, 1.5))):
        assert torch.equal(loaded.sample(**kwargs), trained_model.sample(**kwargs))
    assert loaded.sample(mode='recon').shape == (1, 3, 30, 40)


def test_resume_mid_training(tmp_path, trained):
    """Resumed at the stage boundary, the run continues at iteration 4 and ends with the
    weights of the uninterrupted run (the module's ``trained`` fixture)."""
    first = tiny_cfg(tmp_path, max_iters=STAGE_LEN)
    Runner.from_cfg(first).train()
    assert osp.isfile(osp.join(tmp_path, f'iter_{STAGE_LEN}.pth'))
    second = tiny_cfg(tmp_path)
    second.resume = True
    runner = Runner.from_cfg(second)
    iters = []
    step = runner.model.train_step
    runner.model.train_step = lambda *a, **k: (iters.append(runner.iter), step(*a, **k))[1]
    runner.train()
    assert iters == list(range(STAGE_LEN, 2 * STAGE_LEN)) and runner.iter == 2 * STAGE_LEN
    assert runner.model.curr_stage == 1 and len(runner.model.noise_weights) == 2
    straight = trained[1].model.state_dict()
    resumed = runner.model.state_dict()
    assert resumed.keys() == straight.keys()
    assert all(torch.equal(resumed[k], straight[k]) for k in straight)


def test_pyramid_and_num_scales_must_agree(tmp_path):
    cfg = tiny_cfg(tmp_path, num_scales=3)
    with pytest.raises(ValueError, match='set num_scales=1'):
        Runner.from_cfg(cfg).train()


def test_sample_tool_writes_wide_grid(trained, tmp_path):
    cfg, _ = trained
    cfg_path = osp.join(tmp_path, 'tiny.py')
    cfg.dump(cfg_path)
    ckpt = osp.join(cfg.work_dir, f'iter_{2 * STAGE_LEN}.pth')
    out = subprocess.run([sys.executable, osp.join(REPO, 'tools', 'sample.py'), cfg_path, ckpt,
                          '--out', str(tmp_path / 'out'), '--num', '3', '--nrow', '3',
                          '--width-scale', '1.5', '--recon'],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr
    grid = Image.open(tmp_path / 'out' / 'samples_h30xw60.png')
    assert grid.size == (3 * 60 + 4 * 2, 30 + 2 * 2)  # make_grid with padding 2
    assert (tmp_path / 'out' / 'recon.png').is_file()
    assert 'samples_h30xw60.png' in out.stdout


@pytest.mark.parametrize('iters_per_scale,message', [
    (3, r'max_iters=8 ends inside SinGAN stage 1 \(6 iterations per stage: iters_per_scale=3 x '
        r'discriminator_steps=2\); set train_cfg.max_iters = .* = 2 \* 3 \* 2 = 12'),
    (1, r'max_iters=8 runs past the last SinGAN stage \(num_scales=1, 2 iterations per stage\); '
        r'set train_cfg.max_iters = .* = 2 \* 1 \* 2 = 4'),
], ids=['stops-inside-a-stage', 'runs-past-the-last-stage'])
def test_iters_per_scale_without_max_iters_stops_before_training(tmp_path, iters_per_scale,
                                                                 message):
    """mmposgan 0.1 trained on and stopped inside a stage, or crashed after the last one."""
    cfg = tiny_cfg(tmp_path)
    cfg.model.iters_per_scale = iters_per_scale
    runner = Runner.from_cfg(cfg)
    with pytest.raises(ValueError, match=message):
        runner.train()
    assert runner.iter == 0


def test_discriminator_with_fewer_stages_is_refused(tmp_path):
    """mmposgan 0.1 failed with an IndexError (building the stage optimizers)."""
    cfg = tiny_cfg(tmp_path)
    cfg.model.discriminator.num_scales = 0
    with pytest.raises(ValueError, match='the discriminator has num_scales=0 but the generator '
                                         'num_scales=1: set model.discriminator.num_scales=1'):
        Runner.from_cfg(cfg)
