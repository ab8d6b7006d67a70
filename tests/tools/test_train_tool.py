"""tools/train.py from the command line: training, resume, and one-line errors."""
import os.path as osp
import subprocess
import sys

from ..conftest import REPO
from ..test_singan_training import STAGE_LEN, tiny_cfg


def run_tool(args, timeout=600):
    return subprocess.run([sys.executable, osp.join(REPO, 'tools', 'train.py')] + args,
                          capture_output=True, text=True, cwd=REPO, timeout=timeout)


def test_train_then_resume_from_cli(tmp_path):
    cfg = tiny_cfg(tmp_path / 'work', max_iters=STAGE_LEN)
    cfg.custom_hooks = []
    path = str(tmp_path / 'tiny.py')
    cfg.dump(path)
    first = run_tool([path])
    assert first.returncode == 0, first.stderr[-3000:]
    second = run_tool([path, '--resume', '--cfg-options', f'train_cfg.max_iters={2 * STAGE_LEN}'])
    assert second.returncode == 0, second.stderr[-3000:]
    assert 'resumed' in (second.stdout + second.stderr).lower()
    assert osp.isfile(tmp_path / 'work' / f'iter_{2 * STAGE_LEN}.pth')


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
    ]
    import torch
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
