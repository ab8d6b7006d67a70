"""tools/sample.py on every model family, options of another family, unloadable files.

The tool's ``main`` runs in this process (as ``python tools/sample.py`` does,
through ``run_cli``) on checkpoints of randomly initialised models.
"""
import os.path as osp
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config
from PIL import Image

from mmposgan.apis import init_model, sample_unconditional
from mmposgan.apis.inference import training_channel_order
from mmposgan.utils.launch import run_cli
from ..conftest import REPO
from ..helpers.tools import load_tool

CONFIGS = osp.join(REPO, 'configs')
DIGITS = osp.join(CONFIGS, 'padding_study', 'dcgan-wgangp_zero-pad_1xb32-1kiters_digits-32.py')
PGGAN = osp.join(CONFIGS, 'padding_study', 'pggan_zero-pad_8xb4-12Mimgs_celeba-cropped-128.py')
TINY_MS_PIE = osp.join(CONFIGS, 'ms_pie_stylegan2',
                       'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')
SINGAN = osp.join(CONFIGS, 'pe_singan', 'singan_spe-8ch_demo_balloons.py')


def run(monkeypatch, *args):
    """``python tools/sample.py ARGS``: printed lines, or the one ``error:`` line."""
    monkeypatch.setattr(sys, 'argv', ['sample.py', *map(str, args)])
    try:
        run_cli(load_tool('sample.py').main)
    except SystemExit as stop:
        return str(stop.code)
    return None


@pytest.fixture(scope='module')
def checkpoints(tmp_path_factory):
    folder = tmp_path_factory.mktemp('models')
    paths = {}
    for name, config in (('dcgan', DIGITS), ('ms_pie', TINY_MS_PIE), ('singan', SINGAN)):
        model = init_model(config)
        paths[name] = str(folder / f'{name}.pth')
        torch.save(dict(meta=dict(iter=0), state_dict=model.state_dict()), paths[name])
    return paths


def test_dcgan_config_samples_at_its_size(checkpoints, tmp_path, monkeypatch, capsys):
    """mmposgan 0.1 ended in AttributeError: 'PaddingStudyDCGANGenerator' ... 'scale_offset'."""
    assert run(monkeypatch, DIGITS, checkpoints['dcgan'], '--out', tmp_path, '--num', 3,
               '--nrow', 3) is None
    assert 'samples of 32x32 written' in capsys.readouterr().out
    grid = np.asarray(Image.open(tmp_path / 'samples_32x32.png'))
    assert grid.shape == (32 + 4, 3 * 32 + 4 * 2, 3)
    model = init_model(DIGITS, checkpoints['dcgan'])
    want = sample_unconditional(model, 3, seed=0)
    assert want.shape == (3, 3, 32, 32) and want.abs().max() <= 1
    cell = grid[2:34, 2:34].astype(int)
    assert np.abs(cell - ((want[0].permute(1, 2, 0).numpy() + 1) * 127.5).round()).max() <= 1


@pytest.mark.parametrize('family,args,message', [
    ('singan', ['--scale', 64], '--scale does not apply to PositionalSinGAN'),
    ('singan', ['--truncation', 0.7], '--truncation does not apply to PositionalSinGAN'),
    ('ms_pie', ['--width-scale', 1.5], '--width-scale does not apply to MultiScaleStyleGAN2'),
    ('ms_pie', ['--recon'], '--recon does not apply to MultiScaleStyleGAN2'),
    ('dcgan', ['--scale', 64], '--scale does not apply to WGANGP'),
], ids=['singan-scale', 'singan-truncation', 'stylegan2-width', 'stylegan2-recon', 'dcgan'])
def test_options_of_another_family_are_refused(checkpoints, tmp_path, monkeypatch, family, args,
                                               message):
    config = dict(dcgan=DIGITS, ms_pie=TINY_MS_PIE, singan=SINGAN)[family]
    line = run(monkeypatch, config, checkpoints[family], '--out', tmp_path, *args)
    assert line.startswith('error: ValueError: ' + message) and '\n' not in line


def test_unloadable_checkpoint_is_one_line(checkpoints, tmp_path, monkeypatch):
    cut = tmp_path / 'cut.pth'
    data = open(checkpoints['dcgan'], 'rb').read()
    cut.write_bytes(data[:len(data) // 2])
    line = run(monkeypatch, DIGITS, cut, '--out', tmp_path)
    assert line.startswith(f'error: CheckpointFileError: {cut}: not a loadable checkpoint '
                           '(truncated or corrupt?)')


def test_samples_are_saved_in_rgb_whatever_the_training_order():
    """PGGAN's CelebA config reads BGR (mmcv's default): its samples are flipped to RGB."""
    assert training_channel_order(Config.fromfile(PGGAN)) == 'bgr'
    assert training_channel_order(Config.fromfile(DIGITS)) == 'rgb'
    assert training_channel_order(Config.fromfile(TINY_MS_PIE)) == 'rgb'
    model = init_model(PGGAN)
    noise = torch.randn(2, model.noise_size, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        raw = torch.stack([s.fake_img for s in model(dict(noise=noise, sample_model='ema'))])
    torch.testing.assert_close(sample_unconditional(model, 2, seed=0),
                               raw.float().flip(1) / 127.5 - 1)
