"""tools/dist_train.sh with 2 CPU processes (gloo): one scale per global batch."""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from ...conftest import REPO
from ..test_ms_pie_training import tiny_cfg

pytestmark = pytest.mark.slow  # mmengine Runner / subprocess (pytest.ini)


def test_two_processes_share_scales_and_end_with_identical_weights(tmp_path):
    cfg = tiny_cfg(tmp_path)
    cfg.train_cfg.max_iters = 6
    cfg.train_dataloader.batch_size = 2  # per rank
    probe = tmp_path / 'probe'
    probe.mkdir()
    cfg.custom_imports = dict(imports=['tests.helpers.dist_probe'], allow_failed_imports=False)
    cfg.custom_hooks = [dict(type='ScaleScheduleHook'),
                        dict(type='DistProbeHook', out_dir=str(probe))]
    path = str(tmp_path / 'tiny_dist.py')
    cfg.dump(path)
    env = dict(os.environ, PYTHON=sys.executable, OMP_NUM_THREADS='1')
    env.pop('PORT', None)  # dist_run.sh picks a free port, so parallel runs do not collide
    out = subprocess.run(['bash', osp.join(REPO, 'tools', 'dist_train.sh'), path, '2'],
                         capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    runs = [json.load(open(probe / f'rank{r}.json')) for r in (0, 1)]
    assert runs[0]['world_size'] == runs[1]['world_size'] == 2
    assert runs[0]['sizes'] == runs[1]['sizes'] and len(set(runs[0]['sizes'])) > 1
    states = [torch.load(probe / f'rank{r}.pth') for r in (0, 1)]
    assert states[0].keys() == states[1].keys()
    for key in states[0]:
        torch.testing.assert_close(states[0][key], states[1][key], msg=key)
