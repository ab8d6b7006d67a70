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

from mmposgan.apis import init_model, sample_multiscale, sample_unconditional
from mmposgan.apis.inference import training_channel_order
from mmposgan.evaluation.functional import seam_statistics
from mmposgan.utils.launch import run_cli
from ...conftest import REPO
from ...helpers.singan import save_ready_singan
from ...helpers.tools import load_tool

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


def grid_cells(path, num, size, nrow):
    """The ``num`` images of a ``save_image_grid`` PNG (padding 2) as ``(N, 3, h, w)`` floats."""
    grid = np.asarray(Image.open(path)).astype(np.float64)
    h, w = size
    cells = [grid[2 + (i // nrow) * (h + 2):][:h, 2 + (i % nrow) * (w + 2):][:, :w]
             for i in range(num)]
    return torch.from_numpy(np.stack(cells)).permute(0, 3, 1, 2)


def grid_shape(num, size, nrow):
    rows, cols = -(-num // nrow), min(num, nrow)
    return (rows * (size[0] + 2) + 2, cols * (size[1] + 2) + 2, 3)


def test_stylegan2_any_height_and_width_and_the_crop_message(checkpoints, tmp_path, monkeypatch,
                                                             capsys):
    """The tiny model's base is 32 px, its pixel step 8: 32x64 and 48 are made, 30x70 is
    produced at 32x72 and centre-cropped; the old --scale spelling adds its sizes."""
    assert run(monkeypatch, TINY_MS_PIE, checkpoints['ms_pie'], '--out', tmp_path, '--num', 3,
               '--nrow', 3, '--size', '32x64', 48, '30x70', '--scale', 40) is None
    out = capsys.readouterr().out
    crops = [line for line in out.splitlines() if 'centre-cropped' in line]
    assert crops == ['30x70 is not a size the generator makes: produced at 32x72 and '
                     'centre-cropped']
    for name, size in [('32x64', (32, 64)), ('48', (48, 48)), ('30x70', (30, 70)),
                       ('40', (40, 40))]:
        path = tmp_path / f'samples_{name}.png'
        assert f'3 samples of {size[0]}x{size[1]} written to {path}' in out
        assert np.asarray(Image.open(path)).shape == grid_shape(3, size, 3)
    # the grids hold the API's samples: the same latents at every size, the crop's centre
    model = init_model(TINY_MS_PIE, checkpoints['ms_pie'])
    want = sample_multiscale(model, 3, [(32, 72)], seed=0)[(32, 72)][..., 1:31, 1:71]
    cells = grid_cells(tmp_path / 'samples_30x70.png', 3, (30, 70), 3)
    assert (cells - ((want.double().clamp(-1, 1) + 1) * 127.5).round()).abs().max() <= 1


@pytest.mark.parametrize('text', ['256x', 'x512', '0', '256x512x3', 'big'])
def test_a_bad_size_is_refused_by_the_parser(checkpoints, tmp_path, monkeypatch, text):
    assert run(monkeypatch, TINY_MS_PIE, checkpoints['ms_pie'], '--out', tmp_path,
               '--size', text) == '2'  # argparse's usage error


@pytest.fixture(scope='module')
def noisy_ms_pie(tmp_path_factory):
    """A random tiny MS-PIE (seed 0) whose seam would show: larger per-pixel noise weights."""
    torch.manual_seed(0)
    model = init_model(TINY_MS_PIE)
    with torch.no_grad():
        for m in model.modules():
            if hasattr(m, 'noise_strength'):
                m.noise_strength.fill_(0.1)
    path = str(tmp_path_factory.mktemp('noisy') / 'noisy.pth')
    torch.save(dict(meta=dict(iter=0), state_dict=model.state_dict()), path)
    return path


def test_seamless_x_hides_the_seam(noisy_ms_pie, tmp_path, monkeypatch):
    stats = {}
    for name, extra in [('plain', []), ('seamless', ['--seamless', 'x'])]:
        out = tmp_path / name
        assert run(monkeypatch, TINY_MS_PIE, noisy_ms_pie, '--out', out, '--num', 8,
                   '--size', '32x96', *extra) is None
        stats[name] = seam_statistics(grid_cells(out / 'samples_32x96.png', 8, (32, 96), 4))
    # seamless: the wrap seam is an ordinary neighbour difference; without: larger than all
    assert stats['seamless']['ratio'] < 1 and stats['seamless']['rank'] < 1, stats['seamless']
    assert stats['plain']['rank'] == 1.0 and stats['plain']['ratio'] > 1, stats['plain']


def test_seamless_refuses_a_crop_that_cuts_the_period(noisy_ms_pie, tmp_path, monkeypatch):
    line = run(monkeypatch, TINY_MS_PIE, noisy_ms_pie, '--out', tmp_path, '--seamless', 'x',
               '--size', '30x70')
    assert line.startswith('error: ValueError: 30x70 would be cropped out of 32x72 along x')
    # a crop along the axis that does not wrap keeps the seam hidden
    assert run(monkeypatch, TINY_MS_PIE, noisy_ms_pie, '--out', tmp_path, '--seamless', 'x',
               '--size', '30x72') is None


def test_seamless_is_refused_for_a_single_size_gan(checkpoints, tmp_path, monkeypatch):
    line = run(monkeypatch, DIGITS, checkpoints['dcgan'], '--out', tmp_path, '--seamless', 'x')
    assert line.startswith('error: ValueError: --seamless does not apply to WGANGP')
    assert 'it samples only at its training size' in line


@pytest.fixture(scope='module')
def ready_singan(tmp_path_factory):
    """The SinGAN demo config (zero padding, SPE), random weights, a finished pyramid."""
    return save_ready_singan(SINGAN, str(tmp_path_factory.mktemp('singan') / 'ready.pth'))


def test_singan_sizes_and_seamless(ready_singan, tmp_path, monkeypatch, capsys):
    assert run(monkeypatch, SINGAN, ready_singan, '--out', tmp_path, '--num', 2,
               '--width-scale', 3, '--height-scale', 1.5, '--recon') is None
    out = capsys.readouterr().out
    assert f'2 samples of 96x288 written to {tmp_path / "samples_h96xw288.png"}' in out
    assert f'1 samples of 64x96 written to {tmp_path / "recon.png"}' in out
    assert 'centre-cropped' not in out
    stats = {}
    for name, extra in [('plain', []), ('seamless', ['--seamless', 'x'])]:
        assert run(monkeypatch, SINGAN, ready_singan, '--out', tmp_path / name, '--num', 8,
                   '--width-scale', 3, *extra) is None
        wide = grid_cells(tmp_path / name / 'samples_h64xw288.png', 8, (64, 288), 4)
        stats[name] = seam_statistics(wide)
    assert stats['seamless']['ratio'] < 1 and stats['seamless']['rank'] < 1, stats['seamless']
    assert stats['plain']['rank'] == 1.0 and stats['plain']['ratio'] > 1.25, stats['plain']
