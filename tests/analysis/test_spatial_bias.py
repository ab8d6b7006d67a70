"""Spatial-bias probe: the theory of §3.1-3.2 with random weights."""
import json
import os.path as osp
import subprocess
import sys

import pytest
import torch
import torch.nn as nn

from mmposgan.analysis.spatial_bias import spatial_bias
from mmposgan.models.layers import NoPad, ZeroPadConv
from ..conftest import REPO


def stack_features(mode, channels=8, size=16):
    torch.manual_seed(0)
    layers = []
    for _ in range(3):
        layers += [nn.Conv2d(channels, channels, 3, padding=mode.conv_padding(3)),
                   nn.LeakyReLU(0.2)]
    net = nn.Sequential(*layers)

    def features(b):
        out, x = {}, torch.randn(b, channels, size, size)
        for i, layer in enumerate(net):
            x = layer(x)
            if i % 2:
                out[f'layer{i // 2}'] = x
        return out

    return features


def test_padding_free_stack_is_weakly_stationary():
    """Eq. 3/Eq. 13-18: flat expectation, offset-only autocorrelation."""
    torch.manual_seed(1)
    stats = spatial_bias(stack_features(NoPad()), num_samples=1024, batch_size=64)
    for layer, s in stats.items():
        for key, value in s.items():
            if key.endswith('_t2'):
                assert value < 4.0, (layer, key, value)  # ~1.15 expected under stationarity


def test_zero_padding_makes_borders_differ():
    """Eq. 4-5 / App. A.2: the expectation depends on the position at the borders."""
    torch.manual_seed(1)
    stats = spatial_bias(stack_features(ZeroPadConv()), num_samples=1024, batch_size=64)
    assert all(s['border_vs_centre_t2'] > 50 for s in stats.values())
    assert stats['layer2']['mean_map_flatness_t2'] > 20
    assert stats['layer2']['autocorr_01_flatness_t2'] > 20


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_tool_on_a_config(tmp_path):
    cfg = osp.join(REPO, 'configs', 'ms_pie_stylegan2',
                   'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')
    out = subprocess.run([sys.executable, osp.join(REPO, 'tools', 'analysis', 'spatial_bias.py'),
                          cfg, '--out', str(tmp_path), '--num', '256', '--batch', '32'],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    summary = json.load(open(tmp_path / 'spatial_bias.json'))
    assert set(summary['layers']) >= {'conv1', 'convs.0'}
    assert (tmp_path / 'mean_map_conv1.png').is_file()
    # zero padding: the borders of the feature maps differ from their centre
    assert summary['layers']['convs.0']['border_vs_centre_t2'] > 20


def singan(padding):
    from mmposgan.registry import MODELS
    torch.manual_seed(0)
    return MODELS.build(dict(type='PositionalSinGANGenerator', num_scales=0, base_channels=16,
                             min_feat_channels=16, padding=padding))


def test_singan_is_probed_through_its_own_padding():
    """§3.2 / Fig. 1(a): the original SinGAN zero-pads each stage input (``ZeroPadInput``,
    applied in the generator's forward), so its stage-0 features depend on the position
    near the borders; the padding-free SinGAN (``InterpPad``: noise drawn larger, valid
    convs) is weakly stationary.  Probing the conv stack alone would skip the padding."""
    from mmposgan.analysis.spatial_bias import generator_features
    zero = singan('ZeroPadInput')
    free = singan(dict(type='InterpPad', mode='bicubic'))
    zero.train()
    torch.manual_seed(1)
    stats_zero = spatial_bias(generator_features(zero, 24), num_samples=512, batch_size=64)
    assert zero.training  # the probe ran in eval mode and restored the mode
    torch.manual_seed(1)
    stats_free = spatial_bias(generator_features(free, 24), num_samples=512, batch_size=64)
    assert stats_zero['tail']['border_vs_centre_t2'] > 50
    assert stats_zero['body.block1']['mean_map_flatness_t2'] > 20
    for layer, s in stats_free.items():
        assert s['size'] == stats_zero[layer]['size']  # the same valid convs on 34 px input
        for key, value in s.items():
            if key.endswith('_t2'):
                assert value < 4.0, (layer, key, value)
    # the stage-0 output is the requested image size in both
    assert stats_zero['tail']['size'] == [24, 24] == stats_free['tail']['size']


@pytest.mark.timeout(60)  # the batch loop never advanced with batch 0 (the tool hung)
def test_batch_size_zero_is_an_error():
    def features(b):
        return {'x': torch.zeros(b, 1, 4, 4)}

    with pytest.raises(ValueError, match='batch size must be >= 1, got 0'):
        spatial_bias(features, num_samples=64, batch_size=0)
