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

from ..conftest import BALLOONS, REPO

pytestmark = pytest.mark.slow  # mmengine Runner / subprocess (pytest.ini)


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


def seed_drawing_every_scale(scales, probs, iters=6, reg_interval=2):
    """The first sampler seed whose first ``iters`` draws include every scale, the middle
    one at an iteration where the R1 and path-length regularisers also run."""
    from mmposgan.datasets import ScaleSchedule
    for seed in range(1000):
        draws = [ScaleSchedule(scales, probs, seed).scale_at(t)[0] for t in range(iters)]
        middle = sorted(scales)[len(scales) // 2]
        if set(draws) == set(scales) and any(d == middle for d in draws[::reg_interval]):
            return seed, draws
    raise AssertionError('no seed found')


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
    sampler = cfg.train_dataloader.batch_sampler
    sampler.seed, draws = seed_drawing_every_scale(sampler.scales, sampler.probs)
    runner = Runner.from_cfg(cfg)
    seen = []
    orig = runner.model.train_discriminator

    def spy(inputs, data_samples, optimizer_wrapper):
        seen.append(int(data_samples.gt_img.shape[-1]))
        return orig(inputs, data_samples, optimizer_wrapper)

    runner.model.train_discriminator = spy
    runner.train()
    assert seen == draws and sorted(set(seen)) == [32, 48, 64]  # every scale trains
    losses = {k: v.current() for k, v in runner.message_hub.log_scalars.items() if 'loss' in k}
    assert {'train/loss_gen', 'train/loss_disc_real', 'train/loss_r1_gp',
            'train/loss_path_regular'} <= set(losses)
    assert all(math.isfinite(v) for v in losses.values())
    for size in (32, 48, 64):
        grid = Image.open(osp.join(cfg.work_dir, 'vis', f'iter_6_{size}.png'))
        assert grid.size[1] == size + 4


def test_path_length_runs_at_the_iteration_scale(tmp_path):
    """StyleGAN2's regulariser at 48 px: lengths ||J_w^T y|| with y ~ N(0, I) / sqrt(48 * 48),
    the running mean moved by ``decay`` towards their mean, the penalty their squared spread."""
    from mmposgan.models.gans import path_length_penalty
    from mmposgan.registry import MODELS
    cfg = tiny_cfg(tmp_path)
    gen = MODELS.build(cfg.model.generator)
    seen = {}

    def capture(module, args, out):  # the images and latents, and the RNG right after
        seen.update(out, rng=torch.get_rng_state(), size=out['fake_img'].shape[-1])

    gen.register_forward_hook(capture)
    penalty, mean = path_length_penalty(gen, 2, torch.tensor(0.3), 48, decay=0.5)
    assert seen['size'] == 48
    torch.set_rng_state(seen['rng'])
    y = torch.randn_like(seen['fake_img']) / 48
    grad, = torch.autograd.grad((seen['fake_img'] * y).sum(), seen['latent'])
    lengths = torch.stack([g.norm(dim=1).pow(2).mean().sqrt() for g in grad])  # per sample
    assert lengths.shape == (2, ) and (lengths > 0).all()
    want_mean = 0.3 + 0.5 * (lengths.mean() - 0.3)
    torch.testing.assert_close(mean, want_mean)
    torch.testing.assert_close(penalty, (lengths - want_mean).pow(2).mean())


def test_unproducible_scale_stops_before_training(tmp_path):
    cfg = tiny_cfg(tmp_path)
    cfg.train_dataloader.batch_sampler.update(scales=[32, 36], probs=[0.5, 0.5])
    runner = Runner.from_cfg(cfg)
    with pytest.raises(ValueError, match='36 is not one of them'):
        runner.train()
    assert runner.iter == 0


def test_resume_continues_the_scale_sequence(tmp_path):
    """The resumed run starts at iteration 4 and draws the scales the sampler's seed gives
    iterations 4..7 (not 0..3 again, as a restarted counter would)."""
    from mmposgan.datasets import ScaleSchedule
    cfg = tiny_cfg(tmp_path)
    cfg.train_cfg.max_iters = 4
    Runner.from_cfg(copy.deepcopy(cfg)).train()
    cfg.train_cfg.max_iters = 8
    cfg.resume = True
    cfg.experiment_name += '_resumed'
    runner = Runner.from_cfg(cfg)
    seen, iters = [], []
    orig = runner.model.train_discriminator
    runner.model.train_discriminator = lambda i, d, o: (seen.append(int(d.gt_img.shape[-1])),
                                                        iters.append(runner.iter),
                                                        orig(i, d, o))[2]
    runner.train()
    sampler = cfg.train_dataloader.batch_sampler
    schedule = ScaleSchedule(sampler.scales, sampler.probs, sampler.seed)
    expected = [schedule.scale_at(t)[0] for t in range(4, 8)]
    assert iters == [4, 5, 6, 7] and runner.iter == 8
    assert seen == expected and expected != [schedule.scale_at(t)[0] for t in range(4)]


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
