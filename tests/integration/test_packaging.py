"""After a (non-editable) install, another project uses ``mmposgan::`` configs and mmengine's hub.

The repository is copied to a temporary folder and installed with
``pip install --no-deps --no-build-isolation --no-index --target``: the
repo's ``.venv`` (with its editable install) is not touched, and the
subprocesses put the target folder first on ``PYTHONPATH``, run in a folder
outside the repository and check they imported the installed copy.

The copy's ``model-index.yml`` gets one extra metafile, listing the tiny
MS-PIE config with ``Weights`` on a server on 127.0.0.1 that this test runs,
so ``get_model(..., pretrained=True)`` is tested without the internet.
"""
import os
import os.path as osp
import shutil
import subprocess
import sys
import textwrap

import pytest
import torch
import yaml

from mmposgan.registry import MODELS
from ..conftest import REPO
from ..utils.local_server import LocalServer, checkpoint_bytes, hashed_name

pytestmark = pytest.mark.slow  # mmengine Runner / subprocess (pytest.ini)


TINY = 'ms_pie_stylegan2/mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py'
SINGAN = 'pe_singan/singan_spe-8ch_1xb1_balloons.py'


def copy_repo(dst):
    ignore = shutil.ignore_patterns('.mim', '__pycache__', '*.egg-info', 'build', 'dist')
    for name in ('mmposgan', 'configs', 'tools'):
        shutil.copytree(osp.join(REPO, name), osp.join(dst, name), ignore=ignore)
    for name in ('setup.py', 'model-index.yml'):
        shutil.copy(osp.join(REPO, name), osp.join(dst, name))


@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    """(site folder holding the installed package, URL of the tiny weights, their path)."""
    tmp = tmp_path_factory.mktemp('packaging')
    src, site = tmp / 'src', tmp / 'site'
    copy_repo(src)
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    init_default_scope('mmposgan')  # module fixtures run before conftest's autouse one
    model = MODELS.build(Config.fromfile(osp.join(REPO, 'configs', TINY)).model)
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            p.fill_(0.01 * i)  # unlike any initialisation: proves the weights were loaded
    body = checkpoint_bytes(dict(meta=dict(), state_dict=model.state_dict()))
    (tmp / 'weights.pth').write_bytes(body)
    with LocalServer() as server:
        url = server.add(hashed_name('mspie_tiny_20240101_000000', body), body)
        meta = dict(Models=[dict(Name='tiny', Config=f'configs/{TINY}', Weights=url)])
        (src / 'configs' / 'test_zoo_metafile.yml').write_text(yaml.safe_dump(meta))
        index = yaml.safe_load((src / 'model-index.yml').read_text())
        index['Import'].append('configs/test_zoo_metafile.yml')
        (src / 'model-index.yml').write_text(yaml.safe_dump(index))
        out = subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-deps',
                              '--no-build-isolation', '--no-index', '--no-cache-dir', '-q',
                              '--target', str(site), str(src)],
                             capture_output=True, text=True, cwd=str(tmp), timeout=300)
        assert out.returncode == 0, out.stderr[-3000:]
        yield site, url, tmp / 'weights.pth'


def run_outside(site, tmp_path, script):
    """Run ``script`` in ``tmp_path`` with ``mmposgan`` imported from ``site`` (a folder)."""
    env = dict(os.environ, MMPOSGAN_CACHE_DIR=str(tmp_path / 'cache'))
    if site != REPO:
        env['PYTHONPATH'] = str(site)
    header = ('import mmposgan\n'
              f'assert mmposgan.__file__.startswith({str(site)!r}), mmposgan.__file__\n')
    out = subprocess.run([sys.executable, '-c', header + textwrap.dedent(script)],
                         capture_output=True, text=True, cwd=str(tmp_path), env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_installed_package_ships_configs_and_model_index(installed):
    mim = installed[0] / 'mmposgan' / '.mim'
    assert (mim / 'configs' / TINY).is_file() and (mim / 'model-index.yml').is_file()
    assert (mim / 'configs' / '_base_' / 'default_runtime.py').is_file()
    assert not (mim / 'configs').is_symlink()  # a copy, not a link back into the source tree


def test_other_project_inherits_and_uses_the_hub(installed, tmp_path):
    site, url, weights = installed
    (tmp_path / 'my_singan.py').write_text(textwrap.dedent(f'''\
        _base_ = 'mmposgan::{SINGAN}'
        model = dict(generator=dict(base_channels=8))
        '''))
    stdout = run_outside(site, tmp_path, f'''
        import torch
        from mmengine.config import Config
        from mmengine.hub import get_config, get_model

        cfg = Config.fromfile('my_singan.py')
        assert cfg.model.generator.base_channels == 8
        assert cfg.default_hooks.random_state.type == 'RandomStateCheckpointHook'
        base = get_config('mmposgan::{SINGAN}')
        assert base.model.generator.get('base_channels') != 8
        assert get_config('mmposgan::{TINY}', pretrained=True).model_path == {url!r}
        model = get_model('mmposgan::{TINY}', pretrained=True)
        expected = torch.load({str(weights)!r}, weights_only=True)['state_dict']
        got = model.state_dict()
        assert expected.keys() == got.keys()
        assert all(torch.equal(expected[k], got[k]) for k in expected)
        print('loaded', len(expected), type(model).__module__)
        ''')
    last = stdout.strip().splitlines()[-1]
    assert last.startswith('loaded') and last.endswith('mmposgan.models.gans.ms_pie_stylegan2')
    assert os.listdir(tmp_path / 'cache') == [url.rsplit('/', 1)[-1]]  # downloaded, verified


def test_editable_install_resolves_to_the_source_tree(tmp_path):
    """The repo's own ``pip install -e .``: mmengine alone would look in ``site-packages``."""
    (tmp_path / 'child.py').write_text(f"_base_ = 'mmposgan::{SINGAN}'\n")
    stdout = run_outside(REPO, tmp_path, f'''
        from mmengine.config import Config
        from mmengine.hub import get_config
        cfg = Config.fromfile('child.py')
        assert cfg.model.type == get_config('mmposgan::{SINGAN}').model.type
        print(get_config('mmposgan::{SINGAN}').filename)
        ''')
    assert stdout.strip().splitlines()[-1] == osp.join(REPO, 'mmposgan', '.mim', 'configs', SINGAN)
