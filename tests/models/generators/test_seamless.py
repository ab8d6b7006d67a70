"""Seamless outputs: circular padding modes, periodic resampling and encoding, wrapped generators.

A seamless generator's output is one period of a periodic image.  The tests
check it three ways: the pieces equal their circular definitions (torch's
circular padding, interpolation of the tiled signal), the generators are
exactly equivariant to circular shifts of their inputs (no column is
special, so there is no seam), and the measured seam is an ordinary
neighbour difference with the mode and far outside them without it.
"""
import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmposgan.evaluation.functional import seam_statistics
from mmposgan.models.layers import (CircularBilinearUpsample, CircularFIRUpsample,
                                    CircularInterpPad, CircularPad, FIRUpsample, InterpPad, NoPad,
                                    PeriodicEncoding2d, ZeroPadConv, ZeroPadInput, build_padding)
from mmposgan.models.layers.periodic import periodic_resize
from mmposgan.registry import MODELS

SMALL = {4: 32, 8: 32, 16: 16, 32: 16, 64: 8}


def tile_interpolate(x, size, axes, mode):
    """Reference: interpolate the signal tiled 3 times along ``axes``, keep the middle tile."""
    dims = {'x': (3, ), 'y': (2, ), 'xy': (2, 3)}[axes]
    reps = [1, 1, 3 if 2 in dims else 1, 3 if 3 in dims else 1]
    big = F.interpolate(x.repeat(*reps), size=(size[0] * reps[2], size[1] * reps[3]), mode=mode,
                        align_corners=False)
    h0, w0 = (size[0] if 2 in dims else 0), (size[1] if 3 in dims else 0)
    return big[..., h0:h0 + size[0], w0:w0 + size[1]]


@pytest.mark.parametrize('mode', ['bilinear', 'bicubic'])
@pytest.mark.parametrize('axes', ['x', 'xy'])
@pytest.mark.parametrize('size', [(10, 14), (7, 23), (5, 5)])
def test_periodic_resize_interpolates_the_tiled_signal(mode, axes, size):
    x = torch.randn(2, 3, 5, 7, dtype=torch.float64)
    got = periodic_resize(x, size, axes, mode)
    assert got.shape[-2:] == size
    if axes == 'xy':  # the tiled signal, resampled at the same points
        torch.testing.assert_close(got, tile_interpolate(x, size, 'xy', mode), atol=1e-12,
                                   rtol=0)
    else:  # along y as F.interpolate, along x periodic
        ref = tile_interpolate(F.interpolate(x, size=(size[0], 7), mode=mode,
                                             align_corners=False), size, 'x', mode)
        torch.testing.assert_close(got, ref, atol=1e-12, rtol=0)


def test_periodic_resize_samples_a_periodic_function():
    n, m = 48, 80
    pos = lambda k: (torch.arange(k, dtype=torch.float64) + 0.5) / k  # noqa: E731
    signal = torch.sin(2 * math.pi * pos(n))[None, None, None].expand(1, 1, 2, n)
    want = torch.sin(2 * math.pi * pos(m))
    err = (periodic_resize(signal, (2, m), 'x', 'bicubic')[0, 0, 0] - want).abs()
    assert err.max() < 1e-2  # everywhere, the wrap included
    plain = (F.interpolate(signal, size=(2, m), mode='bicubic')[0, 0, 0] - want).abs()
    assert plain[[0, -1]].max() > 2 * err.max()  # the plain resize clamps at the edges


def test_circular_pad_wraps_the_chosen_axes_and_zeros_the_others():
    x = torch.randn(1, 2, 6, 8, dtype=torch.float64)
    y = CircularPad('x').prepare(x, (6, 8), 2)
    assert y.shape[-2:] == (10, 12)
    torch.testing.assert_close(y[..., 2:-2, :2], x[..., -2:])
    torch.testing.assert_close(y[..., 2:-2, -2:], x[..., :2])
    assert y[..., :2, :].abs().max() == 0 and y[..., -2:, :].abs().max() == 0
    torch.testing.assert_close(CircularPad('xy').prepare(x, (6, 8), 2),
                               F.pad(x, (2, 2, 2, 2), mode='circular'))
    # capabilities follow the axes: only 'xy' is free of zeros
    assert CircularPad('x').pads_input and not CircularPad('x').is_padding_free
    assert CircularPad('xy').is_padding_free and not CircularPad('xy').pads_input
    assert CircularInterpPad('x').is_padding_free


def test_circular_interp_pad_sizes_and_padding_free():
    mode = CircularInterpPad('x')
    assert mode.source_size((8, 12), 2) == (12, 12)  # larger only along the axis that does not wrap
    x = torch.full((1, 2, 4, 6), 0.7, dtype=torch.float64)
    y = mode.prepare(x, (8, 12), 2)
    assert y.shape[-2:] == mode.input_size((8, 12), 2) == (12, 16)
    assert (y - 0.7).abs().max() < 1e-12  # no zero anywhere


@pytest.mark.parametrize('axes', ['x', 'xy'])
def test_wrapped_stack_is_a_circular_convolution(axes):
    torch.manual_seed(0)
    convs = [nn.Conv2d(3, 3, 3).double() for _ in range(3)]
    x = torch.randn(2, 3, 9, 11, dtype=torch.float64)
    mode = CircularPad(axes)
    y = mode.prepare(x, (9, 11), 3)
    ref = x
    if axes == 'x':  # zeros along y once per stack (as ZeroPadInput), wrapped along x
        ref = F.pad(ref, (0, 0, 3, 3))
    for conv in convs:
        y = conv(y)
        ref = conv(F.pad(ref, (1, 1, 1, 1) if axes == 'xy' else (1, 1, 0, 0), mode='circular'))
    torch.testing.assert_close(y, ref, atol=1e-12, rtol=0)


def test_wrapped_counterparts():
    assert isinstance(ZeroPadConv().wrapped('x'), CircularPad)
    assert isinstance(ZeroPadInput().wrapped('xy'), CircularPad)
    w = InterpPad(mode='bicubic', align_corners=False).wrapped('x')
    assert isinstance(w, CircularInterpPad) and (w.mode, w.align_corners) == ('bicubic', False)
    assert CircularPad('x').wrapped('xy').wrap_axes == 'xy'
    with pytest.raises(ValueError, match='NoPad shrinks'):
        NoPad().wrapped('x')
    with pytest.raises(ValueError, match="axes must be one of"):
        build_padding(dict(type='CircularPad', axes='z'))


def test_circular_skip_upsampling_is_the_tiled_upsampling():
    x = torch.randn(2, 3, 5, 6, dtype=torch.float64)
    tiled = x.repeat(1, 1, 1, 3)
    torch.testing.assert_close(CircularFIRUpsample(axes='x').double()(x),
                               FIRUpsample().double()(tiled)[..., 12:24], atol=1e-12, rtol=0)
    torch.testing.assert_close(CircularBilinearUpsample('xy')(x),
                               tile_interpolate(x, (10, 12), 'xy', 'bilinear'), atol=1e-12,
                               rtol=0)


def test_periodic_encoding_lies_on_a_circle():
    enc = PeriodicEncoding2d(16, axes='x')
    p = enc(1, (5, 12))[0].double()  # (16, 5, 12): height half, then width half
    width = p[8:, 0]  # (8, 12)
    steps = (width.roll(-1, dims=1) - width).norm(dim=0)  # includes last -> first
    torch.testing.assert_close(steps, steps[:1].expand(12), atol=1e-6, rtol=0)
    cos1 = p[1, :, 0]  # half circle along the height: cos(theta) runs from ~1 to ~-1
    assert cos1[0] > 0.9 and cos1[-1] < -0.9 and (cos1[1:] < cos1[:-1]).all()
    # the period is the size it is produced at: the same circle, sampled more finely
    wide = enc(1, (5, 36))[0, 8:, 0].double()
    torch.testing.assert_close(wide[:2, 1::3], width[:2], atol=1e-6, rtol=0)  # k = 1
    with pytest.raises(ValueError, match='divisible by 4'):
        PeriodicEncoding2d(6)


def small_gen(padding, head='LearnableConstant', upsample='BilinearThenConv', **kwargs):
    return MODELS.build(dict(type='PositionalStyleGAN2Generator', out_size=32, style_channels=16,
                             num_mlps=2, channels=SMALL, head=head, upsample=upsample,
                             padding=padding, **kwargs))


def noise_shapes(gen, first):
    sizes = [first] + [tuple(n * 2**i for n in first) for i in range(1, gen.num_upblocks + 1)
                       for _ in range(2)]
    return sizes


def test_circular_stylegan2_is_exactly_equivariant_to_circular_shifts():
    torch.manual_seed(0)
    for padding in [dict(type='CircularPad', axes='x'), dict(type='CircularInterpPad', axes='x')]:
        gen = small_gen(padding).double().eval()
        for m in gen.modules():  # make the per-pixel noise matter
            if hasattr(m, 'noise_strength'):
                m.noise_strength.data.fill_(0.3)
        size = (32, 64)
        head = torch.randn(1, 32, *gen.head_input_size(size), dtype=torch.float64)
        first = tuple(n // gen.pixel_step for n in size)
        noises = [torch.randn(1, 1, *s, dtype=torch.float64) for s in noise_shapes(gen, first)]
        z = torch.randn(2, 16, dtype=torch.float64)
        img = gen(z, size=size, head_input=head, injected_noise=noises)
        k = 3  # head cells
        rolled = gen(z, size=size, head_input=head.roll(k, 3),
                     injected_noise=[n.roll(k * n.shape[-1] // first[1], 3) for n in noises])
        torch.testing.assert_close(rolled, img.roll(k * gen.pixel_step, 3), atol=1e-9, rtol=0)


def seamless_gen_and_images(padding, head, seed=0):
    torch.manual_seed(seed)
    gen = small_gen(padding, head).eval()
    with torch.no_grad():
        return gen, gen(torch.randn(8, 16), size=(32, 96))


def test_circular_stylegan2_has_no_measurable_seam():
    """The issue's test: the tiled output's seam is an ordinary neighbour difference."""
    _, img = seamless_gen_and_images(dict(type='CircularInterpPad', axes='x'),
                                     dict(type='PeriodicEncoding2d', out_channels=32, axes='x'))
    stats = seam_statistics(img, 'x')
    assert stats['ratio'] < 1 and stats['rank'] < 1, stats  # inside the neighbours' range
    for padding in ['ZeroPadConv', 'InterpPad']:
        _, img = seamless_gen_and_images(padding, dict(type='SinusoidalEncoding2d',
                                                       out_channels=32))
        stats = seam_statistics(img, 'x')
        assert stats['rank'] == 1.0 and stats['ratio'] > 1.25, (padding, stats['ratio'])


def test_make_seamless_keeps_the_weights_and_wraps_everything():
    torch.manual_seed(0)
    for padding, upsample in [('ZeroPadConv', 'ConvThenBilinear'),
                              ('InterpPad', 'BilinearThenConv')]:
        gen = small_gen(padding, upsample=upsample, skip_upsample='FIRUpsample').double().eval()
        state = {k: v.clone() for k, v in gen.state_dict().items()}
        gen.make_seamless('xy')
        assert gen.padding.wrap_axes == 'xy'
        assert all(t.upsample.wrap_axes == 'xy' for t in gen.to_rgbs)
        assert all(c.conv.padding is gen.padding and c.conv.conv_padding == 0
                   for c in [gen.conv1, *gen.convs])
        for key, value in gen.state_dict().items():
            assert torch.equal(value, state[key])
        z = torch.randn(1, 16, dtype=torch.float64)
        head = torch.randn(1, 32, *gen.head_input_size((32, 32)), dtype=torch.float64)
        img = gen(z, head_input=head, add_noise=False)
        for dim in (2, 3):
            rolled = gen(z, head_input=head.roll(1, dim), add_noise=False)
            torch.testing.assert_close(rolled, img.roll(gen.pixel_step, dim), atol=1e-9, rtol=0)
    with pytest.raises(ValueError, match='TransposedConvUp'):
        small_gen('ZeroPadConv', upsample='TransposedConvUp').make_seamless('x')


def test_a_wrapping_mode_refuses_a_skip_that_would_put_the_seam_back():
    with pytest.raises(ValueError, match='would put a seam'):
        small_gen(dict(type='CircularPad', axes='x'), skip_upsample='FIRUpsample')
    with pytest.raises(ValueError, match='would put a seam'):
        small_gen(dict(type='CircularPad', axes='x'),
                  skip_upsample=dict(type='CircularBilinearUpsample', axes='xy'))


def singan(padding, head, seed=0):
    torch.manual_seed(seed)
    gen = MODELS.build(dict(type='PositionalSinGANGenerator', num_scales=2, num_layers=3,
                            base_channels=8, min_feat_channels=8, padding=padding,
                            head=head)).eval()
    noises = gen.make_fixed_noises([(12, 16), (16, 22), (22, 30)],
                                   generator=torch.Generator().manual_seed(seed))
    return gen, noises


def test_circular_singan_samples_wide_and_is_equivariant():
    gen, fixed = singan(dict(type='CircularInterpPad', axes='x'),
                        dict(type='PeriodicEncoding2d', out_channels=8, axes='x'))
    assert [tuple(s) for s in gen.stage_sizes(fixed)] == [(12, 16), (16, 22), (22, 30)]
    assert fixed[0].shape[-2:] == (12 + 6, 16)  # larger only along the axis that does not wrap
    with torch.no_grad():
        wide = gen(None, fixed, [1.0, 0.1, 0.1], 'rand', 2, num_batches=2, size_scale=(1, 3))
    assert wide.shape == (2, 3, 22, 90)
    # stages of exact 2x: a circular shift of the stage-0 noise by one pixel shifts the image
    # by 4 (the upsampling between stages wraps and is periodic; no head, which does not shift)
    gen = MODELS.build(dict(type='PositionalSinGANGenerator', num_scales=2, num_layers=3,
                            base_channels=8, min_feat_channels=8,
                            padding=dict(type='CircularPad', axes='xy'))).double().eval()
    noise0 = torch.randn(1, 1, 8, 12, dtype=torch.float64)
    rest = [torch.zeros(1, 3, 16, 24, dtype=torch.float64),
            torch.zeros(1, 3, 32, 48, dtype=torch.float64)]
    with torch.no_grad():
        img = gen(None, [noise0] + rest, [1.0, 0.1, 0.1], 'recon', 2)
        rolled = gen(None, [noise0.roll((1, 1), (2, 3))] + rest, [1.0, 0.1, 0.1], 'recon', 2)
    torch.testing.assert_close(rolled, img.roll((4, 4), (2, 3)), atol=1e-12, rtol=0)


def test_circular_singan_has_no_measurable_seam():
    stats = {}
    for name, padding, head in [
            ('wrap', dict(type='CircularInterpPad', axes='x'),
             dict(type='PeriodicEncoding2d', out_channels=8, axes='x')),
            ('zero', 'ZeroPadInput', dict(type='SinusoidalEncoding2d', out_channels=8)),
            ('interp', 'InterpPad', dict(type='SinusoidalEncoding2d', out_channels=8))]:
        gen, fixed = singan(padding, head)
        torch.manual_seed(2)
        with torch.no_grad():
            img = gen(None, fixed, [1.0, 0.02, 0.02], 'rand', 2, num_batches=8,
                      size_scale=(1, 3))
        stats[name] = seam_statistics(img, 'x')
    assert stats['wrap']['ratio'] < 1, stats['wrap']  # inside the neighbours' range
    assert stats['zero']['ratio'] > 1.25 and stats['interp']['ratio'] > 1.25, stats


def test_singan_make_seamless():
    gen, fixed = singan('ZeroPadConv', dict(type='SinusoidalEncoding2d', out_channels=8))
    before = gen.stage_sizes(fixed)
    gen.make_seamless('x')
    assert isinstance(gen.padding, CircularPad) and gen.stage_sizes(fixed) == before
    assert all(m.padding == (0, 0) for m in gen.modules() if isinstance(m, nn.Conv2d))
    with torch.no_grad():
        x = gen.upsample(torch.randn(1, 3, 8, 10), (8, 20))
    assert x.shape[-2:] == (8, 20)
