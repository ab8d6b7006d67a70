"""Padding-study generators (paper §4.2, App. C): size arithmetic, no padding, SPE, validation."""
import pytest
import torch
import torch.nn as nn

from mmposgan.models.generators import PaddingStudyDCGANGenerator, PaddingStudyPGGANGenerator
from mmposgan.models.layers import SinusoidalEncoding2d

SPE = dict(type='SinusoidalEncoding2d')


def dcgan(padding='ZeroPadConv', head=None, out_size=32, base_channels=16):
    torch.manual_seed(0)
    return PaddingStudyDCGANGenerator(out_size=out_size, noise_size=8,
                                      base_channels=base_channels, padding=padding, head=head)


def pggan(padding='ZeroPadConv', head=None, out_scale=32, **kwargs):
    torch.manual_seed(0)
    return PaddingStudyPGGANGenerator(noise_size=8, out_scale=out_scale, base_channels=128,
                                      max_channels=8, padding=padding, head=head, **kwargs)


def conv_paddings(module):
    return {m.padding for m in module.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))
            if m.kernel_size != (1, 1)}


def spatial_std(images):
    """Largest per-image, per-channel standard deviation over positions."""
    return images.flatten(2).std(dim=2).max().item()


# ---------------------------------------------------------------- DCGAN


@pytest.mark.parametrize('out_size', [8, 16, 32, 64, 128])
@pytest.mark.parametrize('padding', ['ZeroPadConv', 'InterpPad'])
def test_dcgan_output_size_arithmetic(out_size, padding):
    gen = dcgan(padding, out_size=out_size, base_channels=32)
    size = (4, 4)
    for block in gen.blocks:  # each block doubles the map: 4 * 2^n = out_size
        new = block[0].output_size(size)
        assert new == (2 * size[0], 2 * size[1])
        size = new
    assert size == (out_size, out_size)
    assert gen(torch.randn(2, 8)).shape == (2, 3, out_size, out_size)


def test_dcgan_padding_free_has_no_padded_conv_and_baseline_pads():
    assert conv_paddings(dcgan('InterpPad')) == {(0, 0)}
    assert conv_paddings(dcgan('InterpPad', SPE)) == {(0, 0)}
    assert conv_paddings(dcgan('ZeroPadConv')) == {(1, 1)}


def test_dcgan_padding_free_keeps_a_constant_map_constant_and_zero_padding_does_not():
    """Eq. 1-3: without padding a spatially constant input stays constant; zero padding
    injects position at the borders; SPE injects it everywhere."""
    std = {}
    for name, padding, head in [('interp', 'InterpPad', None), ('zero', 'ZeroPadConv', None),
                                ('spe', 'InterpPad', SPE)]:
        gen = dcgan(padding, head).eval()
        with torch.no_grad():  # the 4x4 map is now constant per channel
            gen.noise2feat.weight.zero_()
            gen.noise2feat.bias.copy_(torch.randn(16).repeat_interleave(16))
            std[name] = spatial_std(gen(torch.randn(2, 8)))
    assert std['interp'] < 1e-5
    assert std['zero'] > 1e-3 and std['spe'] > 1e-3


def test_dcgan_spe_changes_the_first_map_exactly_by_the_encoding():
    plain, with_spe = dcgan('InterpPad'), dcgan('InterpPad', SPE)
    with_spe.load_state_dict(plain.state_dict())  # SPE has no parameters: identical weights
    plain.eval(), with_spe.eval()
    noise = torch.randn(3, 8)
    encoding = SinusoidalEncoding2d(16, base_size=4)(3, (4, 4))
    with torch.no_grad():
        first_plain, first_spe = plain.input_map(noise), with_spe.input_map(noise)
        assert torch.equal(first_spe, first_plain + encoding)
        assert encoding.abs().max() > 0.5
        assert not torch.allclose(plain(noise), with_spe(noise))
    assert with_spe.head.out_channels == 16 and with_spe.head.base_size == (4, 4)


@pytest.mark.parametrize('kwargs, match', [
    (dict(padding='NoPad'), 'not 32x32'),
    (dict(padding='ZeroPadInput'), 'ZeroPadInput'),
    (dict(head=dict(type='SinusoidalEncoding2d', out_channels=8)), 'out_channels=8'),
    (dict(head=dict(type='SinusoidalEncoding2d', base_size=8)), 'base_size=8'),
    (dict(out_size=48), 'power of two'),
    (dict(base_channels=6), 'halved'),
])
def test_dcgan_refuses_nonsensical_combinations(kwargs, match):
    args = dict(out_size=32, noise_size=8, base_channels=16)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        PaddingStudyDCGANGenerator(**args)


def test_dcgan_noise_arguments_follow_mmagic_convention():
    gen = dcgan()
    out = gen(None, num_batches=2, return_noise=True)
    assert out['fake_img'].shape == (2, 3, 32, 32) and out['noise_batch'].shape == (2, 8)
    with pytest.raises(ValueError, match='noise must be'):
        gen(torch.randn(2, 5))


# ---------------------------------------------------------------- PGGAN


@pytest.mark.parametrize('padding, head', [('ZeroPadConv', None), ('InterpPad', None),
                                           ('InterpPad', SPE)])
def test_pggan_every_stage_has_pggan_sizes(padding, head):
    gen = pggan(padding, head)
    noise = torch.randn(2, 8)
    for scale in (4, 8, 16, 32):
        for weight in (0.3, 1.0):
            img = gen(noise, curr_scale=scale, transition_weight=weight)
            assert img.shape == (2, 3, scale, scale)


def conv_input_sides(gen, **kwargs):
    seen = []
    hooks = [m.register_forward_pre_hook(lambda m, i: seen.append(i[0].shape[-1]))
             for m in gen.modules() if isinstance(m, nn.Conv2d) and m.kernel_size == (3, 3)]
    gen(torch.randn(1, 8), **kwargs)
    for h in hooks:
        h.remove()
    return seen


def test_pggan_padding_free_has_no_padded_conv_and_baseline_pads():
    gen = pggan('InterpPad')
    assert conv_paddings(gen) == {(0, 0)}
    assert not any(isinstance(m, nn.ConvTranspose2d) for m in gen.modules())
    # §4.1: the 4x4 block's valid conv receives a 6x6 first map produced that large (not
    # interpolated); each upsampling block is interpolated once to 2H + 4, then 2H + 2, 2H
    assert gen.noise2feat(torch.randn(1, 8)).shape[-1] == 6
    assert conv_input_sides(gen, curr_scale=16) == [6, 12, 10, 20, 18]
    # one interpolation per conv instead: 2H + 2 before each of them
    assert conv_input_sides(pggan('PerConvInterpPad'), curr_scale=16) == [6, 10, 10, 18, 18]
    zero = pggan('ZeroPadConv')
    assert (1, 1) in conv_paddings(zero)
    assert any(isinstance(m, nn.ConvTranspose2d) for m in zero.modules())  # original PGGAN


def test_pggan_padding_free_keeps_a_constant_map_constant_and_zero_padding_does_not():
    std = {}
    for name, padding, head in [('interp', 'InterpPad', None), ('zero', 'ZeroPadConv', None),
                                ('spe', 'InterpPad', SPE)]:
        gen = pggan(padding, head)
        with torch.no_grad():
            gen.noise2feat.linear.weight_orig.zero_()  # constant first map: act(bias), pixel norm
            gen.noise2feat.bias.normal_()
            std[name] = spatial_std(gen(torch.randn(2, 8), curr_scale=32))
    assert std['interp'] < 1e-5
    assert std['zero'] > 1e-3 and std['spe'] > 1e-3


def test_pggan_spe_changes_the_first_map_exactly_by_the_encoding():
    plain, with_spe = pggan('InterpPad'), pggan('InterpPad', SPE)
    with_spe.load_state_dict(plain.state_dict())
    noise = torch.randn(3, 8)
    encoding = SinusoidalEncoding2d(8, base_size=6)(3, (6, 6))  # on the 6x6 first map
    with torch.no_grad():
        assert torch.equal(with_spe.first_map(noise), plain.noise2feat(noise) + encoding)
        assert not torch.allclose(plain(noise, curr_scale=16), with_spe(noise, curr_scale=16))


def test_pggan_copies_keep_the_head():
    """mmagic's EMA deep-copies the generator: the copy must still add the encoding."""
    import copy
    gen = pggan('InterpPad', SPE)
    clone = copy.deepcopy(gen)
    noise = torch.randn(2, 8)
    with torch.no_grad():
        assert torch.equal(gen(noise, curr_scale=8), clone(noise, curr_scale=8))
        assert clone.head is not gen.head


@pytest.mark.parametrize('kwargs, match', [
    (dict(padding='InterpPad', fused_upconv=True), 'cannot be padding-free'),
    (dict(padding='NoPad'), 'NoPad'),
    (dict(padding='ZeroPadInput'), 'ZeroPadInput'),
    (dict(head=dict(type='SinusoidalEncoding2d', out_channels=16)), 'out_channels=16'),
    (dict(conv_module_cfg=dict(kernel_size=5)), '3x3'),
    (dict(padding='InterpPad', conv_module_cfg=dict(padding=1)), 'contradicts'),
])
def test_pggan_refuses_nonsensical_combinations(kwargs, match):
    with pytest.raises(ValueError, match=match):
        pggan(**kwargs)


@pytest.mark.parametrize('fused', [True, False])
def test_pggan_with_zero_padding_is_mmagics_pggan(fused):
    """(a) of Tab. 3/6 is PGGAN itself: mmagic's generator with the same weights (and
    the same parameter names) gives the same images at every stage and fade-in."""
    from mmagic.models.editors.pggan import PGGANGenerator
    theirs = PGGANGenerator(8, 32, base_channels=128, max_channels=8, fused_upconv=fused).eval()
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for p in theirs.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.5)
    ours = pggan('ZeroPadConv', fused_upconv=fused).eval()
    ours.load_state_dict(theirs.state_dict(), strict=True)
    noise = torch.randn(2, 8)
    with torch.no_grad():
        for scale in (4, 8, 16, 32):
            for weight in (0.3, 1.0):
                torch.testing.assert_close(
                    ours(noise, curr_scale=scale, transition_weight=weight),
                    theirs(noise, curr_scale=scale, transition_weight=weight))
