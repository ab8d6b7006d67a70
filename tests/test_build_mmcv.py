"""scripts/build_mmcv.sh: CPU ops with the GPU hidden by default, CUDA ops only when asked."""
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest
import torch

from .conftest import REPO

SCRIPT = osp.join(REPO, 'scripts', 'build_mmcv.sh')
PYTAG = f'cp{sys.version_info[0]}{sys.version_info[1]}'
TORCH = torch.__version__.split('+')[0]


def build_mmcv(tmp_path, *args, cuda=None, nvcc_release=None):
    """Run the script with a cache in tmp_path and, optionally, a fake nvcc on PATH."""
    fake_bin = tmp_path / 'bin'
    fake_bin.mkdir(exist_ok=True)
    if nvcc_release:
        nvcc = fake_bin / 'nvcc'
        nvcc.write_text('#!/bin/sh\necho "nvcc: NVIDIA (R) Cuda compiler driver"\n'
                        f'echo "Cuda compilation tools, release {nvcc_release}, '
                        f'V{nvcc_release}.0"\n')
        nvcc.chmod(0o755)
    env = {k: v for k, v in os.environ.items()
           if k not in ('MMPOSGAN_MMCV_CUDA', 'CUDA_HOME', 'MAX_JOBS')}
    env.update(MMPOSGAN_CACHE=str(tmp_path / 'cache'), PATH=f'{fake_bin}:/usr/bin:/bin')
    if cuda is not None:
        env['MMPOSGAN_MMCV_CUDA'] = cuda
    return subprocess.run(['bash', SCRIPT, *args, sys.executable], env=env,
                          capture_output=True, text=True, timeout=120)


def fields(out):
    return dict(line.split(': ', 1) for line in out.stdout.strip().splitlines())


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_default_builds_cpu_ops_with_the_gpu_hidden(tmp_path):
    out = build_mmcv(tmp_path, '--dry-run')
    assert out.returncode == 0, out.stderr
    info = fields(out)
    assert info['build'].startswith(
        'env CUDA_VISIBLE_DEVICES= MMCV_WITH_OPS=1 FORCE_CUDA=0 MAX_JOBS=2 ')
    assert f'{sys.executable} -m pip wheel --no-deps --no-build-isolation' in info['build']
    assert info['wheel dir'] == str(tmp_path / 'cache' / 'wheels')
    assert info['cached'] == 'none'


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_a_cached_wheel_of_this_python_is_reused_and_others_are_not(tmp_path):
    wheels = tmp_path / 'cache' / 'wheels'
    wheels.mkdir(parents=True)
    (wheels / 'mmcv-2.1.0-cp39-cp39-linux_x86_64.whl').write_text('')
    assert fields(build_mmcv(tmp_path, '--dry-run'))['cached'] == 'none'
    ours = wheels / f'mmcv-2.1.0-{PYTAG}-{PYTAG}-linux_x86_64.whl'
    ours.write_text('')
    out = build_mmcv(tmp_path)  # no build: prints the cached wheel
    assert out.returncode == 0 and out.stdout.strip().splitlines()[-1] == str(ours)


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
@pytest.mark.skipif(torch.version.cuda is None, reason='a CPU-only torch cannot build CUDA ops')
def test_cuda_ops_only_when_asked_with_a_matching_nvcc_and_cached_apart(tmp_path):
    out = build_mmcv(tmp_path, '--dry-run', cuda='1', nvcc_release=torch.version.cuda)
    assert out.returncode == 0, out.stderr
    info = fields(out)
    assert info['build'].startswith('env MMCV_WITH_OPS=1 FORCE_CUDA=1 MAX_JOBS=2 ')
    assert 'CUDA_VISIBLE_DEVICES' not in info['build']
    cu = torch.version.cuda.replace('.', '')
    assert info['wheel dir'] == str(tmp_path / 'cache' / 'wheels-cuda' / f'torch{TORCH}-cu{cu}')
    # a CPU wheel in the CPU cache is not taken for the CUDA one
    (tmp_path / 'cache' / 'wheels').mkdir(parents=True)
    (tmp_path / 'cache' / 'wheels' / f'mmcv-2.1.0-{PYTAG}-{PYTAG}-linux_x86_64.whl').write_text('')
    assert fields(build_mmcv(tmp_path, '--dry-run', cuda='1',
                             nvcc_release=torch.version.cuda))['cached'] == 'none'


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
@pytest.mark.skipif(torch.version.cuda is None, reason='a CPU-only torch cannot build CUDA ops')
def test_cuda_ops_without_nvcc_or_with_another_cuda_stop_with_a_message(tmp_path):
    if any(shutil.which('nvcc', path=p) for p in ('/usr/bin', '/bin')):
        pytest.skip('this machine has nvcc in /usr/bin')
    out = build_mmcv(tmp_path, '--dry-run', cuda='1')
    assert out.returncode == 2
    assert f'needs nvcc of CUDA {torch.version.cuda}' in out.stderr
    out = build_mmcv(tmp_path, '--dry-run', cuda='1', nvcc_release='9.2')
    assert out.returncode == 2
    assert 'nvcc is CUDA 9.2' in out.stderr and torch.version.cuda in out.stderr


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_unknown_switch_value_is_refused(tmp_path):
    out = build_mmcv(tmp_path, '--dry-run', cuda='yes')
    assert out.returncode == 2 and 'must be 0 or 1' in out.stderr
