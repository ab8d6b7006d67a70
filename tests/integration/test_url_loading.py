"""Checkpoints by URL through mmengine's loader, ``init_model`` and ``tools/test.py``.

The checkpoint is a tiny PE-SinGAN trained here by mmengine's Runner and
served by a server on 127.0.0.1.
"""
import copy
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest
import torch
from mmengine.runner import CheckpointLoader, Runner

from mmposgan.apis import init_model
from mmposgan.mmengine_patches import load_from_local, load_from_url
from ..conftest import REPO
from ..utils.local_server import LocalServer, checkpoint_bytes, closed_port, hashed_name
from .test_singan_training import STAGE_LEN, tiny_cfg

pytestmark = pytest.mark.slow  # mmengine Runner / subprocess (pytest.ini)


@pytest.fixture(scope='module')
def served(tmp_path_factory):
    """(config, local checkpoint path, URL of the same bytes under an OpenMMLab name)."""
    tmp = tmp_path_factory.mktemp('url_ckpt')
    cfg = tiny_cfg(tmp / 'work', max_iters=STAGE_LEN)
    cfg.custom_hooks = []
    Runner.from_cfg(copy.deepcopy(cfg)).train()
    local = str(tmp / 'work' / f'iter_{STAGE_LEN}.pth')
    with open(local, 'rb') as f:
        body = f.read()
    with LocalServer() as server:
        yield cfg, local, server.add(f'zoo/{hashed_name("singan_tiny_20240101_000000", body)}',
                                     body), server


def test_mmengine_uses_the_safe_loaders():
    assert CheckpointLoader._get_checkpoint_loader('https://x/y.pth') is load_from_url
    assert CheckpointLoader._get_checkpoint_loader('http://x/y.pth') is load_from_url
    assert CheckpointLoader._get_checkpoint_loader('/x/y.pth') is load_from_local


def test_init_model_by_url_equals_local_and_caches(served, tmp_path, monkeypatch):
    cfg, local, url, server = served
    monkeypatch.setenv('MMPOSGAN_CACHE_DIR', str(tmp_path / 'cache'))
    by_url = init_model(cfg, url)
    by_path = init_model(cfg, local)
    for kwargs in (dict(num_samples=2, seed=3), dict(mode='recon')):
        assert torch.equal(by_url.sample(**kwargs), by_path.sample(**kwargs))
    assert os.listdir(tmp_path / 'cache') == [osp.basename(url)]
    hits = sum(server.hits.values())
    init_model(cfg, url)
    assert sum(server.hits.values()) == hits  # loaded from the cache


def test_test_tool_offline_is_one_line_naming_url_and_place(tmp_path):
    cfg_path = osp.join(REPO, 'configs', 'ms_pie_stylegan2',
                        'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')
    url = f'http://127.0.0.1:{closed_port()}/zoo/model_20210101_000000-9f43b07d.pth'
    env = dict(os.environ, MMPOSGAN_CACHE_DIR=str(tmp_path / 'cache'))
    out = subprocess.run([sys.executable, osp.join(REPO, 'tools', 'test.py'), cfg_path, url,
                          '--work-dir', str(tmp_path / 'work')],
                         capture_output=True, text=True, cwd=str(tmp_path), env=env, timeout=300)
    assert out.returncode != 0 and 'Traceback' not in out.stderr, out.stderr[-2000:]
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith('error: CheckpointDownloadError: cannot download ' + url)
    assert 'place it at ' + str(tmp_path / 'cache' / 'model_20210101_000000-9f43b07d.pth') in last
    assert not osp.exists(tmp_path / 'cache') or os.listdir(tmp_path / 'cache') == []
    shutil.rmtree(tmp_path / 'work', ignore_errors=True)


@pytest.mark.parametrize('source', ['url', 'file'])
def test_released_mmagic_layout_is_converted_on_load(source, tmp_path, monkeypatch):
    """A checkpoint in mmagic's MS-PIE layout (Tab. 5 setting f, mmagic's own modules with
    random weights, small sizes) loads by URL or from a file into our release model, strictly."""
    from mmposgan.converters import convert_mmagic_checkpoint
    from mmposgan.converters.loading import load_checkpoint
    from ..converters.test_mmagic_parity import build_pair, mmagic_checkpoint
    monkeypatch.setenv('MMPOSGAN_CACHE_DIR', str(tmp_path / 'cache'))
    gen, ema, disc, model, _ = build_pair('f')
    released = mmagic_checkpoint(gen, ema, disc)
    body = checkpoint_bytes(released)
    if source == 'url':
        with LocalServer() as server:
            url = server.add(hashed_name('mspie-stylegan2_c2_config-f_20210406_144927', body),
                             body)
            load_checkpoint(model, url, strict=True)
    else:
        (tmp_path / 'released.pth').write_bytes(body)
        load_checkpoint(model, str(tmp_path / 'released.pth'), strict=True)
    expected = convert_mmagic_checkpoint(released)['state_dict']
    got = model.state_dict()
    assert expected.keys() == got.keys()
    assert all(torch.equal(expected[k], got[k]) for k in expected)
    z = torch.randn(2, 16)
    with torch.no_grad():
        noise = ema.make_injected_noise(0)
        want = ema(z, injected_noise=noise, chosen_scale=0, randomize_noise=False)
        got = model.generator_ema.module(z, scale_offset=0, injected_noise=noise)
    torch.testing.assert_close(got, want, atol=2e-5, rtol=1e-5)


@pytest.mark.parametrize('source', ['url', 'file'])
def test_released_pe_singan_finds_its_side_file(source, tmp_path, monkeypatch):
    """A released PE-SinGAN ``x.pth`` (mmagic layout, weights only) is completed by its
    fixed-noise side file ``x.pkl``: fetched next to the URL, or found beside the file."""
    from mmposgan.converters.loading import load_checkpoint
    from ..converters.test_mmagic_singan_parity import NUM_SCALES, released_pair
    monkeypatch.setenv('MMPOSGAN_CACHE_DIR', str(tmp_path / 'cache'))
    _, _, noises, weights, ckpt, side, model = released_pair('interp-pad', tmp_path)
    body = checkpoint_bytes(ckpt)
    name = hashed_name('singan_interp-pad_balloons_20210406_180014', body)
    with open(side, 'rb') as f:
        side_body = f.read()
    if source == 'url':
        with LocalServer() as server:
            url = server.add(f'zoo/{name}', body)
            server.add(f'zoo/{osp.splitext(name)[0]}.pkl', side_body)
            load_checkpoint(model, url, strict=True)
        assert sorted(os.listdir(tmp_path / 'cache')) == sorted(
            [name, osp.splitext(name)[0] + '.pkl'])
    else:
        (tmp_path / name).write_bytes(body)
        shutil.copy(side, tmp_path / (osp.splitext(name)[0] + '.pkl'))
        load_checkpoint(model, str(tmp_path / name), strict=True)
    assert model.curr_stage == NUM_SCALES and model.noise_weights == weights
    assert all(torch.equal(a, b) for a, b in zip(model.fixed_noises, noises, strict=True))


def test_released_pe_singan_without_side_file_says_what_is_missing(tmp_path, monkeypatch):
    from ..converters.test_mmagic_singan_parity import released_pair
    monkeypatch.setenv('MMPOSGAN_CACHE_DIR', str(tmp_path / 'cache'))
    *_, ckpt, _, model = released_pair('interp-pad', tmp_path)
    body = checkpoint_bytes(ckpt)
    name = hashed_name('singan_interp-pad_balloons_20210406_180014', body)
    with LocalServer() as server:
        url = server.add(f'zoo/{name}', body)
        with pytest.raises(Exception, match=r'\.pkl: HTTP 404'):
            CheckpointLoader.load_checkpoint(url)
    assert os.listdir(tmp_path / 'cache') == [name]  # the verified .pth stays, nothing partial
