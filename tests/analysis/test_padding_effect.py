"""Padding-effect experiment: uniform images without padding, frozen borders with it."""
import json
import os.path as osp
import subprocess
import sys

import pytest
import torch
from PIL import Image

from mmposgan.analysis import padding_effect, singan_padding_effect
from mmposgan.registry import MODELS
from ..conftest import REPO

SMALL = {4: 32, 8: 32, 16: 16, 32: 16, 64: 8}


def gen(padding):
    torch.manual_seed(0)
    return MODELS.build(dict(type='PositionalStyleGAN2Generator', out_size=32, style_channels=16,
                             num_mlps=2, channels=SMALL, upsample='BilinearThenConv',
                             padding=padding))


def test_constant_input_is_uniform_only_without_padding():
    free = padding_effect(gen('InterpPad'), num_latents=3, size=48, add_noise=False)
    padded = padding_effect(gen('ZeroPadConv'), num_latents=3, size=48, add_noise=False)
    assert free['images'].shape == (3 * 6, 3, 48, 48)
    assert free['spread'].max() < 1e-4  # float32 round-off only
    nonzero = padded['values'] != 0  # at init (zero biases) an all-zero input stays zero
    assert padded['spread'][:, nonzero].min() > 1e-2  # borders differ for every latent
    # the first column (the original head) is not constant-filled and varies spatially
    assert free['images'][0].std() > 1e-3


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_tool_writes_grid_and_summary(tmp_path):
    cfg = osp.join(REPO, 'configs', 'ms_pie_stylegan2',
                   'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')
    out = subprocess.run([sys.executable, osp.join(REPO, 'tools', 'analysis', 'padding_effect.py'),
                          cfg, '--out', str(tmp_path), '--num', '2', '--values', '-1', '1'],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    grid = Image.open(tmp_path / 'padding_effect.png')
    assert grid.size == (3 * 32 + 4 * 2, 2 * 32 + 3 * 2)
    summary = json.load(open(tmp_path / 'padding_effect.json'))
    assert summary['padding'] == 'ZeroPadConv'
    assert len(summary['max_deviation_from_spatial_mean']) == 2
    assert min(summary['max_deviation_from_spatial_mean']) > 0
    assert summary['noise'] is True  # the paper's setting by default


def test_noise_stays_on_by_default_as_in_the_paper():
    """App. B.2: only the learned constant is filled; the per-pixel noise keeps running
    (the noise off is the separate, stricter setting)."""
    generator = gen('InterpPad')
    with torch.no_grad():  # StyleGAN2 starts with zero noise strengths; as if trained
        for name, param in generator.named_parameters():
            if name.endswith('noise_strength'):
                param.fill_(0.5)
    torch.manual_seed(5)
    state = torch.get_rng_state()
    paper = padding_effect(generator, values=[0.5, 1.0], num_latents=2, size=32)
    assert torch.equal(torch.get_rng_state(), state)  # the global RNG is restored
    quiet = padding_effect(generator, values=[0.5, 1.0], num_latents=2, size=32,
                           add_noise=False)
    assert paper['add_noise'] and not quiet['add_noise']
    assert quiet['spread'].max() < 1e-4
    assert paper['spread'].min() > 1e-2  # noise: a texture, not a uniform image
    # reproducible: the seed fixes the latents and the noise, the same noise in every column
    again = padding_effect(generator, values=[0.5, 1.0], num_latents=2, size=32)
    assert torch.equal(again['images'], paper['images'])


def singan(padding, head=None):
    """A small SinGAN generator with He-initialised convs (SinGAN's N(0, 0.02) init shrinks
    a constant input to ~1e-5 after five layers, which hides any border structure)."""
    torch.manual_seed(0)
    generator = MODELS.build(dict(type='PositionalSinGANGenerator', num_scales=2,
                                  base_channels=8, min_feat_channels=8, padding=padding,
                                  head=head))
    for module in generator.modules():
        if isinstance(module, torch.nn.Conv2d):
            torch.nn.init.kaiming_normal_(module.weight, a=0.2)
    return generator


def test_singan_constant_input():
    sizes = [(20, 26), (26, 35), (35, 46)]
    free = singan_padding_effect(singan(dict(type='InterpPad', mode='bicubic')), sizes)
    padded = singan_padding_effect(singan('ZeroPadInput'), sizes)
    spe = singan_padding_effect(
        singan(dict(type='InterpPad', mode='bicubic'),
               head=dict(type='SinusoidalEncoding2d', out_channels=8)), sizes)
    assert free['images'].shape == (5, 3, 35, 46)
    assert free['spread'].max() < 1e-4 and spe['spread'].max() < 1e-4  # head replaced by 0
    assert padded['spread'][:, padded['values'] != 0].min() > 1e-2


def test_release_structure_fir_skip_is_not_padding_free():
    """§6: the release structure of Tab. 5 (h)-(k) has valid convs (``InterpPad``) but
    upsamples the RGB skip with a zero-padded FIR filter: a constant input does not give a
    uniform image.  With the paper's bilinear skip it does."""
    def build(skip):
        torch.manual_seed(0)
        return MODELS.build(dict(type='PositionalStyleGAN2Generator', out_size=32,
                                 style_channels=16, num_mlps=2, channels=SMALL,
                                 upsample='BilinearThenConv', padding='InterpPad',
                                 skip_upsample=skip))
    fir = padding_effect(build('FIRUpsample'), values=[-1.0, 1.0], num_latents=2,
                         add_noise=False)
    bilinear = padding_effect(build('BilinearUpsample'), values=[-1.0, 1.0], num_latents=2,
                              add_noise=False)
    assert fir['relative_spread'].min() > 1e-2
    assert bilinear['relative_spread'].max() < 1e-4


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_table_tool_runs_on_release_configs(tmp_path):
    """padding_free_table.py (and so padding_effect.py) on a SinGAN release config and the
    tiny MS-PIE config: one row each, the padding-free SinGAN uniform, the zero-padded
    StyleGAN2 not."""
    configs = [osp.join(REPO, 'configs', 'pe_singan', 'singan-release_interp-pad_1xb1_balloons.py'),
               osp.join(REPO, 'configs', 'ms_pie_stylegan2',
                        'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')]
    out = subprocess.run([sys.executable, osp.join(REPO, 'tools', 'analysis',
                                                   'padding_free_table.py'),
                          '--out', str(tmp_path), '--configs', *configs],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    rows = json.load(open(tmp_path / 'padding_free_table.json'))['rows']
    assert [r['padding_free'] for r in rows] == [True, False]
    assert rows[0]['padding'] == 'InterpPad' and rows[0]['max_relative_deviation'] < 1e-4
    assert rows[1]['padding'] == 'ZeroPadConv' and rows[1]['max_relative_deviation'] > 1e-2
    assert '| padding-free |' in (tmp_path / 'padding_free_table.md').read_text()
    for row in rows:
        assert (tmp_path / row['image']).is_file()
