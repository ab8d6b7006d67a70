"""The paper's padding-free generators, per architecture (§3.1-3.3, §4.1, Fig. 3, Eq. 3).

For StyleGAN2, DCGAN, PGGAN and SinGAN with random weights (biases included), the
paper's padding-free mode (``InterpPad``: one interpolation per block, the first map
produced larger) against zero padding:

* Fig. 3 / App. B.2: a spatially constant input with the noise off gives a spatially
  uniform image without padding; zero padding anchors structure at the borders.
* Eq. 3: over ``N`` i.i.d. inputs the per-pixel mean of the output is flat within
  sampling error.  Every pixel ``i`` (and channel) must satisfy
  ``|m_i - mean_j m_j| < c * s_i / sqrt(N)`` (``m``, ``s``: sample mean and standard
  deviation over the ``N`` outputs) with ``c = Phi^-1(1 - alpha / (2 P))``, a two-sided
  bound made simultaneous over the ``P`` pixels and channels (Bonferroni,
  ``alpha = 1e-3``); zero padding exceeds it at the borders.
"""
import glob
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config

from mmposgan.registry import MODELS
from ...conftest import REPO
from ...helpers.tools import load_tool

NUM_SAMPLES = 256
TOOL = load_tool('analysis', 'padding_free.py')  # its models and statistics: one definition
ARCHITECTURES = TOOL.ARCHITECTURES


@pytest.mark.parametrize('arch', list(ARCHITECTURES))
def test_constant_input_gives_a_uniform_image_only_without_padding(arch):
    build, free, zero = ARCHITECTURES[arch]
    with torch.no_grad():
        free = build(free)[0]()
        padded = build(zero)[0]()
    spread = lambda y: (y - y.mean((-2, -1), keepdim=True)).abs().max()  # noqa: E731
    assert spread(free) < 1e-5  # float32 round-off only
    assert spread(padded) > 1e-3  # frozen structure at the borders


@pytest.mark.parametrize('arch', list(ARCHITECTURES))
def test_mean_map_over_iid_inputs_is_flat_only_without_padding(arch):
    build, free, zero = ARCHITECTURES[arch]
    with torch.no_grad():
        torch.manual_seed(1)
        free, _, bound = TOOL.mean_map_deviation(build(free)[1](NUM_SAMPLES))
        torch.manual_seed(1)
        padded, _, _ = TOOL.mean_map_deviation(build(zero)[1](NUM_SAMPLES))
    assert free < bound, (free, bound)
    assert padded > bound, (padded, bound)


def test_shift_equivariance_tool_has_an_exact_reference():
    """Valid convs after an exact 2x upsampling are shift-equivariant: the tool's
    reference measures 0 in the interior, the interpolating scheme does not."""
    args = TOOL.argparse.Namespace(blocks=2, side=12, shift=1, channels=4, margin=8, seeds=1)
    rows = {r['padding']: r for r in TOOL.shift(args) if r['model'] == 'stack'}
    assert rows['NoPad']['interior'] < 1e-12
    assert rows['InterpPad']['interior'] > 1e-2


PAPER_PADDING_FREE = sorted(
    glob.glob(osp.join(REPO, 'configs', 'stylegan2_padding', 'stylegan2_upconv_nopad_*.py'))
    + glob.glob(osp.join(REPO, 'configs', 'ms_pie_stylegan2', 'mspie-stylegan2_*nopad*.py'))
    + glob.glob(osp.join(REPO, 'configs', 'padding_study', 'pggan_interp-pad*.py')))


@pytest.mark.parametrize('path', PAPER_PADDING_FREE, ids=osp.basename)
def test_paper_configs_interpolate_once_per_block(path, monkeypatch):
    """§4.1 in every paper config (Tab. 2 c-e, Tab. 5 h-k, Tab. 3/6 b-c): the first 3x3
    conv gets a first map produced 2 px larger, each upsampling block one interpolation
    to 2H + 4 for its two valid convs (a shrunk copy of the config's generator)."""
    cfg = Config.fromfile(path).model.generator
    if cfg.type == 'PaddingStudyPGGANGenerator':
        cfg.update(base_channels=128, max_channels=8, noise_size=8, out_scale=32)
        kwargs = dict(noise=torch.randn(1, 8))
    else:
        cfg.update(out_size=32, style_channels=16, num_mlps=2,
                   channels={4: 8, 8: 8, 16: 8, 32: 8})
        cfg.head.pop('out_channels', None)
        kwargs = dict(num_batches=1)
    gen = MODELS.build(cfg)
    sides, conv2d = [], F.conv2d

    def spy(x, weight, *args, **kwargs):  # the input side of every 3x3 conv
        if weight.shape[-1] == 3:
            sides.append(x.shape[-1])
        return conv2d(x, weight, *args, **kwargs)

    monkeypatch.setattr(F, 'conv2d', spy)
    with torch.no_grad():
        gen(**kwargs)
    assert sides == [6, 12, 10, 20, 18, 36, 34]
