"""``mmposgan.apis.sample``: one entry for every model family, chosen by the model's class."""
import pytest
import torch

from mmposgan.apis import (SampleSet, make_seamless, register_sampler, sample, sample_multiscale,
                           sample_options, sampler_for)
from mmposgan.apis.sampling import _SAMPLERS
from mmposgan.models.gans import MultiScaleStyleGAN2
from .test_any_size_sampling import tiny_model


def test_the_family_is_the_most_specific_registered_class():
    model = tiny_model()  # a MultiScaleStyleGAN2, also an mmagic BaseGAN
    assert sample_options(model) == ('sizes', 'truncation', 'seamless')
    sets = sample(model, 2, seed=3, sizes=[32, (32, 64), (30, 70)])
    assert [(s.name, s.size, s.produced, s.cropped) for s in sets] == [
        ('samples_32', (32, 32), (32, 32), False),
        ('samples_32x64', (32, 64), (32, 64), False),
        ('samples_30x70', (30, 70), (32, 72), True)]
    # the same values as the family's own function
    torch.testing.assert_close(sets[1].images,
                               sample_multiscale(model, 2, [(32, 64)], seed=3)[(32, 64)])
    # no sizes: the base size
    assert [s.size for s in sample(model, 1)] == [(32, 32)]


def test_an_option_of_another_family_is_refused():
    model = tiny_model()
    with pytest.raises(ValueError, match=r'size_scale does not apply to MultiScaleStyleGAN2; '
                       r'it takes sizes, truncation, seamless'):
        sample(model, 2, size_scale=(1, 2))
    with pytest.raises(ValueError, match='num_samples must be >= 1'):
        sample(model, 0)
    with pytest.raises(ValueError, match='cannot sample a Linear: mmposgan samples '
                       'MultiScaleStyleGAN2, PositionalSinGAN, BaseGAN'):
        sampler_for(torch.nn.Linear(1, 1))


def test_a_new_family_registers_its_sampler():
    class Wide(MultiScaleStyleGAN2):
        pass

    @register_sampler(Wide)
    def wide_sampler(model, num_samples, seed, *, width=64):
        return [SampleSet('wide', torch.zeros(num_samples, 3, 32, width), (32, width))]

    try:
        model = tiny_model()
        model.__class__ = Wide
        assert sample_options(model) == ('width', )
        assert sample(model, 2, width=96)[0].size == (32, 96)
        assert sampler_for(tiny_model()) is not wide_sampler  # the parent keeps its own
    finally:
        _SAMPLERS.pop(Wide)


def test_seamless_sampling_refuses_a_crop_along_a_wrapped_axis():
    model = tiny_model()
    make_seamless(model, 'x')
    with pytest.raises(ValueError, match='30x70 would be cropped out of 32x72 along x, which '
                       'the generator wraps'):
        sample_multiscale(model, 1, [(30, 70)])
    assert sample_multiscale(model, 1, [(30, 72)])[(30, 72)].shape == (1, 3, 30, 72)  # along y
    [tiles] = sample(tiny_model(), 1, sizes=[(32, 64)], seamless='xy')
    assert tiles.size == (32, 64)
    with pytest.raises(ValueError, match='along y and x'):
        sample(tiny_model(), 1, sizes=[(30, 70)], seamless='xy')
