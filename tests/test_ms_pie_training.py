"""MS-PIE StyleGAN2 through mmengine's Runner on a folder of real image crops."""
import copy
import glob
import math
import os.path as osp
import uuid

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from PIL import Image

from .conftest import BALLOONS, REPO

TINY = osp.join(REPO, 'configs', 'ms_pie_stylegan2',
                'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')
PAD_CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', 'ms_pie_stylegan2', '*tiny*.py')))


def crop_folder(folder, num=8, size=80):
    """Random ``size`` crops of the shipped image: real images for the tests."""
    img = np.asarray(Image.open(BALLOONS).convert('RGB'))
    rng = np.random.default_rng(0)
    for i in range(num):
        y, x = rng.integers(0, img.shape[0] - size), rng.integers(0, img.shape[1] - size)
        Image.fromarray(img[y:y + size, x:x + size]).save(osp.join(folder, f'{i}.png'))
    return str(folder)


def tiny_cfg(tmp_path, **generator):
    cfg = Config.fromfile(TINY)
    cfg.work_dir = str(tmp_path / 'work')
    cfg.experiment_name = f'mspie_{uuid.uuid4().hex[:8]}'
    (tmp_path / 'data').mkdir(exist_ok=True)
    cfg.train_dataloader.dataset.dataset.data_root = crop_folder(tmp_path / 'data')
    for key, value in generator.items():
        cfg.model.generator[key] = value
    cfg.randomness = dict(seed=0)
    return cfg


@pytest.mark.parametrize('generator', [
    dict(),
    dict(padding=dict(type='InterpPad'), head=dict(type='CartesianGrid2d')),
    dict(head=dict(type='LearnableConstant', out_channels=32)),
], ids=['spe-expand-pad', 'csg-nopad', 'constant-pad'])
def test_tiny_training_runs_every_scale_with_finite_losses(tmp_path, generator):
    cfg = tiny_cfg(tmp_path, **generator)
    cfg.train_cfg.max_iters = 6
    runner = Runner.from_cfg(cfg)
    seen = []
    orig = runner.model.train_discriminator

    def spy(inputs, data_samples, optimizer_wrapper):
        seen.append(int(data_samples.gt_img.shape[-1]))
        return orig(inputs, data_samples, optimizer_wrapper)

    runner.model.train_discriminator = spy
    runner.train()
    schedule = runner.train_dataloader.batch_sampler.schedule
    assert seen == [schedule.scale_at(t)[0] for t in range(6)]
    losses = {k: v.current() for k, v in runner.message_hub.log_scalars.items() if 'loss' in k}
    assert {'train/loss_gen', 'train/loss_disc_real', 'train/loss_r1_gp',
            'train/loss_path_regular'} <= set(losses)
    assert all(math.isfinite(v) for v in losses.values())
    for size in (32, 48, 64):
        grid = Image.open(osp.join(cfg.work_dir, 'vis', f'iter_6_{size}.png'))
        assert grid.size[1] == size + 4


def test_path_length_runs_at_the_iteration_scale(tmp_path):
    from mmposgan.models.gans import path_length_penalty
    from mmposgan.registry import MODELS
    cfg = tiny_cfg(tmp_path)
    gen = MODELS.build(cfg.model.generator)
    sizes = []
    gen.register_forward_hook(lambda m, a, out: sizes.append(out['fake_img'].shape[-1]))
    penalty, mean = path_length_penalty(gen, 2, torch.tensor(0.), 48)
    assert sizes == [48] and torch.isfinite(penalty) and mean > 0


def test_unproducible_scale_stops_before_training(tmp_path):
    cfg = tiny_cfg(tmp_path)
    cfg.train_dataloader.batch_sampler.update(scales=[32, 36], probs=[0.5, 0.5])
    runner = Runner.from_cfg(cfg)
    with pytest.raises(ValueError, match='36 is not one of them'):
        runner.train()
    assert runner.iter == 0


def test_resume_continues_the_scale_sequence(tmp_path):
    cfg = tiny_cfg(tmp_path)
    cfg.train_cfg.max_iters = 4
    Runner.from_cfg(copy.deepcopy(cfg)).train()
    cfg.train_cfg.max_iters = 8
    cfg.resume = True
    cfg.experiment_name += '_resumed'
    runner = Runner.from_cfg(cfg)
    seen = []
    orig = runner.model.train_discriminator
    runner.model.train_discriminator = lambda i, d, o: (seen.append(int(d.gt_img.shape[-1])),
                                                        orig(i, d, o))[1]
    runner.train()
    schedule = runner.train_dataloader.batch_sampler.schedule
    assert runner.iter == 8 and seen == [schedule.scale_at(t)[0] for t in range(4, 8)]


def test_sample_tool_writes_every_scale_from_a_checkpoint(tmp_path):
    import subprocess
    import sys
    cfg = tiny_cfg(tmp_path)
    Runner.from_cfg(copy.deepcopy(cfg)).train()
    cfg_path = str(tmp_path / 'tiny.py')
    cfg.dump(cfg_path)
    out = subprocess.run([sys.executable, osp.join(REPO, 'tools', 'sample.py'), cfg_path,
                          osp.join(cfg.work_dir, 'iter_4.pth'), '--out', str(tmp_path / 'out'),
                          '--scale', '32', '64', '--num', '3', '--nrow', '3'],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    for size in (32, 64):
        grid = Image.open(tmp_path / 'out' / f'samples_{size}.png')
        assert grid.size == (3 * size + 4 * 2, size + 2 * 2)
    from mmposgan.apis import init_model, sample_multiscale
    model = init_model(cfg_path, osp.join(cfg.work_dir, 'iter_4.pth'))
    a = sample_multiscale(model, 2, [32, 48], seed=1)
    b = sample_multiscale(model, 2, [32, 48], seed=1)
    assert all(torch.equal(a[s], b[s]) for s in (32, 48)) and a[48].shape == (2, 3, 48, 48)
