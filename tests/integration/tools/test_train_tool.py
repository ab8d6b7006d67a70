"""tools/train.py from the command line: training, resume, and one-line errors."""
import os.path as osp
import subprocess
import sys

import pytest
import torch
from PIL import Image

from mmposgan.utils import safe_torch_load
from ...conftest import REPO
from ..test_singan_training import STAGE_LEN, tiny_cfg

pytestmark = pytest.mark.slow  # mmengine Runner / subprocess (pytest.ini)


def run_tool(args, timeout=600):
    return subprocess.run([sys.executable, osp.join(REPO, 'tools', 'train.py')] + args,
                          capture_output=True, text=True, cwd=REPO, timeout=timeout)


def _weights(path):
    return safe_torch_load(str(path))['state_dict']


def test_resume_from_cli_continues_at_the_checkpoint_and_ends_like_a_straight_run(tmp_path):
    """``--resume`` on an empty work dir stops (mmengine alone logs "Auto resumed from the
    latest checkpoint None." and trains from scratch); ``--allow-fresh-start`` trains; a later
    ``--resume`` continues at iteration 4 and ends where an uninterrupted run ends."""
    cfg = tiny_cfg(tmp_path / 'work', max_iters=STAGE_LEN)
    cfg.custom_hooks = []
    path = str(tmp_path / 'tiny.py')
    cfg.dump(path)
    refused = run_tool([path, '--resume'])
    assert refused.returncode != 0 and 'Traceback' not in refused.stderr
    last = refused.stderr.strip().splitlines()[-1]
    assert last.startswith('error: NothingToResumeError: resume: no checkpoint to resume from '
                           f'in the work dir {tmp_path / "work"}'), last
    assert '--allow-fresh-start' in last
    first = run_tool([path, '--resume', '--allow-fresh-start'])
    assert first.returncode == 0, first.stderr[-3000:]
    assert 'starting from scratch as asked' in first.stdout + first.stderr
    longer = ['--cfg-options', f'train_cfg.max_iters={2 * STAGE_LEN}']
    second = run_tool([path, '--resume'] + longer)
    assert second.returncode == 0, second.stderr[-3000:]
    assert f'resumed epoch: 0, iter: {STAGE_LEN}' in second.stdout + second.stderr
    straight = run_tool([path, '--work-dir', str(tmp_path / 'straight')] + longer)
    assert straight.returncode == 0, straight.stderr[-3000:]
    resumed, ref = (_weights(tmp_path / d / f'iter_{2 * STAGE_LEN}.pth')
                    for d in ('work', 'straight'))
    assert resumed.keys() == ref.keys()
    assert all(torch.equal(resumed[k], ref[k]) for k in ref)


def test_bad_input_is_one_clear_line(tmp_path):
    cfg = tiny_cfg(tmp_path / 'work')
    path = str(tmp_path / 'tiny.py')
    cfg.dump(path)
    cases = [
        (['--cfg-options', 'train_dataloader.dataset.data_root=missing/balloons.png'],
         'training image not found'),
        (['--cfg-options', 'model.generator.head.type=SinusoidalEncoding3d'],
         'SinusoidalEncoding3d is not in the'),
        (['--cfg-options', 'model.generator.padding.type=ReflectPad'], 'ReflectPad is not in the'),
        (['--cfg-options', 'model.generator.head.out_channels=6'], 'divisible by 4'),
        (['--cfg-options', 'model.iters_per_scale=3'],
         'set train_cfg.max_iters = (num_scales + 1) * iters_per_scale * discriminator_steps '
         '= 2 * 3 * 2 = 12'),
    ]
    if not torch.cuda.is_available():
        cases.append((['--amp'], '--amp needs a GPU'))
    for extra, message in cases:
        out = run_tool([path] + extra)
        assert out.returncode != 0
        assert 'Traceback' not in out.stderr, out.stderr[-2000:]
        assert out.stderr.strip().splitlines()[-1].startswith('error:')
        assert message in out.stderr, out.stderr[-2000:]
    missing = run_tool([str(tmp_path / 'nope.py')])
    assert 'config file not found' in missing.stderr and 'Traceback' not in missing.stderr


def test_error_in_a_dataloader_worker_is_one_line(tmp_path):
    """MS-PIE with worker processes, as its configs train: a JPEG cut short passes the header
    scan at start and fails when a worker decodes it."""
    from ..test_ms_pie_training import tiny_cfg as ms_pie_cfg
    cfg = ms_pie_cfg(tmp_path)
    cfg.train_dataloader.update(num_workers=2, persistent_workers=True)
    data = cfg.train_dataloader.dataset.dataset.data_root
    Image.open(f'{data}/0.png').save(f'{data}/cut.jpg', quality=95)
    with open(f'{data}/cut.jpg', 'rb') as f:
        jpeg = f.read()
    with open(f'{data}/cut.jpg', 'wb') as f:
        f.write(jpeg[:len(jpeg) // 3])
    cfg.train_dataloader.batch_size = 9  # every batch holds every image
    path = str(tmp_path / 'tiny_ms_pie.py')
    cfg.dump(path)
    out = run_tool([path])
    assert out.returncode != 0 and 'Traceback' not in out.stderr, out.stderr[-3000:]
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith('error: ImageReadError: ') and 'cut.jpg: not a readable image' in last
    assert 'in DataLoader worker process' in last and 'image_io.py:' in last
