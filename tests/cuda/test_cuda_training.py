"""MS-PIE training on a GPU: low-precision steps with finite losses, and tools/train.py --amp."""
import glob
import json
import math
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine import MessageHub
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper

from mmposgan.engine.feature_format import set_feature_format
from mmposgan.registry import MODELS
from ..conftest import REPO
from ..integration.test_ms_pie_training import TINY, crop_folder

SCALES = (32, 48, 64)


def real_batch(size, batch=4):
    from mmagic.structures import DataSample
    imgs = torch.rand(batch, 3, size, size, generator=torch.Generator().manual_seed(size)) * 255
    return dict(inputs={}, data_samples=[DataSample(gt_img=img.cuda()) for img in imgs])


@pytest.mark.cuda
@pytest.mark.parametrize('mode', ['bf16-autocast', 'bf16-feature-maps'])
def test_bf16_training_steps_have_finite_losses_at_every_scale(mode):
    cfg = Config.fromfile(TINY)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).cuda().train()
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    before = {n: p.detach().clone() for n, p in model.generator.named_parameters()}
    if mode == 'bf16-feature-maps':  # 16 px and up in bfloat16: every scale mixes both
        for net in (model.generator, model.discriminator):
            set_feature_format(net, 'bfloat16', min_size=16)
    autocast = torch.autocast('cuda', dtype=torch.bfloat16, enabled=mode == 'bf16-autocast')
    hub = MessageHub.get_current_instance()
    for size in SCALES:
        data = real_batch(size)
        for it in range(2):  # R1 and path length at iteration 0 (intervals of 2)
            hub.update_info('iter', it)
            with autocast:
                log = model.train_step(data, optim)
            assert {'loss_gen', 'loss_disc_fake', 'loss_disc_real'} <= set(log)
            if it == 0:
                assert {'loss_r1_gp', 'loss_path_regular'} <= set(log)
            assert all(math.isfinite(float(v)) for v in log.values()), (size, it, log)
        assert float(log['scale']) == size
    for name, p in model.named_parameters():
        assert p.dtype == torch.float32 and torch.isfinite(p).all(), name
    moved = [n for n, p in model.generator.named_parameters() if not torch.equal(p, before[n])]
    assert len(moved) > len(before) // 2


@pytest.mark.cuda
@pytest.mark.slow
def test_train_tool_with_amp_trains_every_scale(tmp_path):
    (tmp_path / 'data').mkdir()
    data = crop_folder(tmp_path / 'data')
    work = tmp_path / 'work'
    cmd = [sys.executable, osp.join(REPO, 'tools', 'train.py'), TINY, '--amp', '--work-dir',
           str(work), '--cfg-options', f'train_dataloader.dataset.dataset.data_root={data}',
           'train_cfg.max_iters=10', 'default_hooks.checkpoint.interval=10']
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    scalars = glob.glob(str(work / '*' / 'vis_data' / 'scalars.json'))
    assert len(scalars) == 1
    with open(scalars[0]) as f:
        logs = [json.loads(line) for line in f if line.strip()]
    steps = [r for r in logs if 'scale' in r]
    assert len(steps) == 10 and {int(r['scale']) for r in steps} == set(SCALES)
    for r in steps:
        losses = {k: v for k, v in r.items() if k.startswith('loss')}
        assert losses and all(math.isfinite(v) for v in losses.values()), r
    dumped = glob.glob(str(work / '*.py'))
    assert len(dumped) == 1 and 'AmpOptimWrapper' in open(dumped[0]).read()
    log_text = open(glob.glob(str(work / '*' / '*.log'))[0]).read()
    assert 'CUDATrainingHook: bfloat16 feature maps' in log_text
