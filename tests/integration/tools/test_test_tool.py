"""tools/test.py end to end: a checkpoint evaluated with SWD (no downloaded weights needed)."""
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch
from mmengine.runner import Runner

from mmposgan.apis import init_model
from ...conftest import REPO
from ...evaluation.test_scale_metrics import run_test
from ..test_ms_pie_training import tiny_cfg

pytestmark = pytest.mark.slow  # mmengine Runner / subprocess (pytest.ini)


def swd_cfg(tmp_path):
    cfg = tiny_cfg(tmp_path)
    cfg.test_dataloader = dict(
        batch_size=4, num_workers=0, sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(type='BasicImageDataset',
                     data_root=cfg.train_dataloader.dataset.dataset.data_root,
                     data_prefix=dict(gt=''),
                     pipeline=[dict(type='LoadRGBImage', key='gt'),
                               dict(type='PackInputs', keys=['gt'])]))
    cfg.test_cfg = dict(type='MultiTestLoop')
    cfg.test_evaluator = dict(type='Evaluator', metrics=[
        dict(type='MultiLevelSWD', fake_nums=8, scale=scale, prefix=f'SWD@{scale}')
        for scale in (32, 64)])
    cfg.default_hooks.logger.interval = 1
    return cfg


def run_tool(args):
    return subprocess.run([sys.executable, osp.join(REPO, 'tools', 'test.py')] + args,
                          capture_output=True, text=True, cwd=REPO, timeout=600)


def test_test_tool_evaluates_a_checkpoint_as_the_runner_does(tmp_path):
    cfg = swd_cfg(tmp_path)
    model = init_model(cfg)
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=gen) * 0.1)
    ckpt = str(tmp_path / 'model.pth')
    torch.save(dict(meta=dict(iter=0), state_dict=model.state_dict()), ckpt)
    path = str(tmp_path / 'swd.py')
    cfg.dump(path)

    out = run_tool([path, ckpt, '--work-dir', str(tmp_path / 'cli')])
    assert out.returncode == 0, out.stderr[-3000:]
    printed = dict(re.findall(r'(SWD@\d+/\w+): (-?[\d.]+)', out.stdout + out.stderr))
    assert set(printed) == {'SWD@32/32', 'SWD@32/16', 'SWD@32/avg',
                            'SWD@64/64', 'SWD@64/32', 'SWD@64/16', 'SWD@64/avg'}

    cfg.load_from = ckpt
    cfg.work_dir = str(tmp_path / 'in_process')
    results = run_test(Runner.from_cfg(cfg))  # the same evaluation, in this process
    for key, value in printed.items():
        assert float(value) == pytest.approx(results[key], abs=1e-4), key
    assert all(results[k] > 0 for k in printed)

    state = dict(model.state_dict())
    state.pop(sorted(k for k in state if k.startswith('generator_ema.'))[0])
    bad = str(tmp_path / 'bad.pth')
    torch.save(dict(meta=dict(iter=0), state_dict=state), bad)
    out = run_tool([path, bad, '--work-dir', str(tmp_path / 'cli_bad')])
    assert out.returncode != 0 and 'Traceback' not in out.stderr, out.stderr[-3000:]
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith(f'error: CheckpointMismatchError: {bad} does not fit the model')
    assert '1 weights of the model are not in the checkpoint (generator_ema.' in last
