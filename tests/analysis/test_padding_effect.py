"""Padding-effect experiment: uniform images without padding, frozen borders with it."""
import json
import os.path as osp
import subprocess
import sys

import torch
from PIL import Image

from mmposgan.analysis import padding_effect
from mmposgan.registry import MODELS

from ..conftest import REPO

SMALL = {4: 32, 8: 32, 16: 16, 32: 16, 64: 8}


def gen(padding):
    torch.manual_seed(0)
    return MODELS.build(dict(type='PositionalStyleGAN2Generator', out_size=32, style_channels=16,
                             num_mlps=2, channels=SMALL, upsample='BilinearThenConv',
                             padding=padding))


def test_constant_input_is_uniform_only_without_padding():
    free = padding_effect(gen('InterpPad'), num_latents=3, size=48)
    padded = padding_effect(gen('ZeroPadConv'), num_latents=3, size=48)
    assert free['images'].shape == (3 * 6, 3, 48, 48)
    assert free['spread'].max() < 1e-4  # float32 round-off only
    nonzero = padded['values'] != 0  # at init (zero biases) an all-zero input stays zero
    assert padded['spread'][:, nonzero].min() > 1e-2  # borders differ for every latent
    # the first column (the original head) is not constant-filled and varies spatially
    assert free['images'][0].std() > 1e-3


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
    assert summary['padding'] == 'ZeroPadConv' and len(summary['max_deviation_from_spatial_mean']) == 2
    assert min(summary['max_deviation_from_spatial_mean']) > 0
