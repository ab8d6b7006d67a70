"""Eigen-manipulation: orthonormal directions, identity at step 0, local application."""
import os.path as osp
import subprocess
import sys

import pytest
import torch
from PIL import Image

from mmposgan.analysis import closed_form_factorization, manipulate, modulation_weights
from mmposgan.registry import MODELS
from ..conftest import REPO

SMALL = {4: 32, 8: 32, 16: 16, 32: 16, 64: 8}


def small_gen():
    torch.manual_seed(0)
    return MODELS.build(dict(type='PositionalStyleGAN2Generator', out_size=32, style_channels=16,
                             num_mlps=2, channels=SMALL,
                             head=dict(type='SinusoidalEncoding2d', out_channels=16))).eval()


def test_directions_are_orthonormal_eigenvectors():
    gen = small_gen()
    vecs = closed_form_factorization(gen)
    assert vecs.shape == (16, 16)
    torch.testing.assert_close(vecs @ vecs.t(), torch.eye(16), atol=1e-5, rtol=0)
    a = modulation_weights(gen).double()
    gram = a.t() @ a
    v = vecs[0].double()
    rayleigh = v @ gram @ v
    assert torch.allclose(gram @ v, rayleigh * v, atol=1e-6 * rayleigh.item())
    assert rayleigh >= (vecs[1].double() @ gram @ vecs[1].double())  # sorted by eigenvalue


def test_zero_step_reproduces_and_slots_stay_local():
    gen = small_gen()
    z = torch.randn(2, 16)
    base = gen(gen.mapping(z), input_is_latent=True, size=48, add_noise=False)
    moved = manipulate(gen, z, closed_form_factorization(gen)[0], [0.0, 3.0], size=48)
    torch.testing.assert_close(moved[:2], base)
    assert (moved[2:] - base).abs().max() > 1e-3
    # only slot 3 moves: every other layer's style input is unchanged
    seen = []
    layers = [gen.conv1] + list(gen.convs) + [gen.to_rgb1] + list(gen.to_rgbs)
    hooks = [l.conv.style_modulation.register_forward_hook(
        lambda m, a, o, i=i: seen.append((i, a[0].clone()))) for i, l in enumerate(layers)]
    manipulate(gen, z, closed_form_factorization(gen)[0], [0.0, 3.0], slots=[3], size=32)
    for h in hooks:
        h.remove()
    half = len(seen) // 2
    changed = {i for (i, a), (_, b) in zip(seen[:half], seen[half:], strict=True)
               if not torch.equal(a, b)}
    # slot 3 feeds convs[2] (up-conv of the 2nd block), convs[1] and to_rgbs[0] use slot 2, ...
    slot_of = {0: 0, len(layers) - len(gen.to_rgbs) - 1: 1}
    for k in range(len(gen.convs)):
        slot_of[1 + k] = 1 + k
    for k in range(len(gen.to_rgbs)):
        slot_of[1 + len(gen.convs) + 1 + k] = 3 + 2 * k
    assert changed == {i for i, s in slot_of.items() if s == 3}


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_tool_writes_grid(tmp_path):
    cfg = osp.join(REPO, 'configs', 'ms_pie_stylegan2',
                   'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')
    out = subprocess.run([sys.executable, osp.join(REPO, 'tools', 'analysis',
                                                   'eigen_manipulation.py'), cfg,
                          '--out', str(tmp_path), '--eigen', '0', '3', '--steps', '-2', '0', '2',
                          '--size', '64', '--slots', '2', '3'],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    grid = Image.open(tmp_path / 'eigen_manipulation_64.png')
    assert grid.size == (3 * 64 + 4 * 2, 2 * 64 + 3 * 2)
