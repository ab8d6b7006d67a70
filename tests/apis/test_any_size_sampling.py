"""Sampling API at any size: exact and cropped sizes, same latents, seamless models."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmposgan.apis import make_seamless, sample_multiscale, sampling_generator
from mmposgan.evaluation.functional import seam_statistics
from mmposgan.registry import MODELS
from mmposgan.utils.size import centre_crop
from ..conftest import REPO

TINY = osp.join(REPO, 'configs', 'ms_pie_stylegan2',
                'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')


def tiny_model():
    init_default_scope('mmposgan')
    torch.manual_seed(0)
    return MODELS.build(Config.fromfile(TINY).model).eval()


def test_every_size_from_the_same_latents():
    model = tiny_model()
    out = sample_multiscale(model, 3, [32, (32, 64), (30, 70)], seed=5)
    assert [tuple(v.shape) for v in out.values()] == [(3, 3, 32, 32), (3, 3, 32, 64),
                                                      (3, 3, 30, 70)]
    # a size the generator does not make: its next larger size (32x72), centre-cropped
    larger = sample_multiscale(model, 3, [(32, 72)], seed=5)[(32, 72)]
    torch.testing.assert_close(out[(30, 70)], centre_crop(larger, (30, 70)))
    # the same latents and noise seed whatever other sizes are asked for
    torch.testing.assert_close(sample_multiscale(model, 3, [(32, 64)], seed=5)[(32, 64)],
                               out[(32, 64)])
    assert not torch.equal(sample_multiscale(model, 3, [(32, 64)], seed=6)[(32, 64)],
                           out[(32, 64)])


def test_make_seamless_wraps_the_generator_and_its_ema_copy():
    model = tiny_model()
    with torch.no_grad():
        for m in model.modules():  # a generator whose seam would show: larger weights
            if hasattr(m, 'noise_strength'):
                m.noise_strength.fill_(0.1)
    before = seam_statistics(sample_multiscale(model, 8, [(32, 96)])[(32, 96)])
    make_seamless(model, 'x')
    for gen in (model.generator, model.generator_ema.module):
        assert gen.padding.wrap_axes == 'x'
    assert sampling_generator(model) is model.generator_ema.module
    after = seam_statistics(sample_multiscale(model, 8, [(32, 96)])[(32, 96)])
    assert after['ratio'] < 1 < before['ratio'], (before['ratio'], after['ratio'])
    with pytest.raises(ValueError, match='cannot be made seamless'):
        make_seamless(type('Model', (), dict(generator=torch.nn.Linear(2, 2)))(), 'x')
