"""The registered building blocks of models/layers: built by name, their contracts, their errors."""
import pytest
import torch
import torch.nn.functional as F

from mmposgan.models.generators.stylegan2_blocks import ToRGB
from mmposgan.models.layers import (InterpPad, PerConvInterpPad, ZeroPadConv, ZeroPadInput,
                                    build_conv_upsampling, build_head, build_padding,
                                    build_skip_upsampling, check_padding)
from mmposgan.registry import MODELS
from mmposgan.utils.size import log2_of_power_of_two, to_size

#: every module registered in mmposgan/models/layers, with the arguments it needs
LAYERS = {
    'ZeroPadConv': {}, 'ZeroPadInput': {}, 'InterpPad': {}, 'PerConvInterpPad': {}, 'NoPad': {},
    'LearnableConstant': dict(out_channels=4), 'CartesianGrid2d': {},
    'SinusoidalEncoding2d': {}, 'MMagicSinusoidalEncoding2d': {}, 'MMagicCartesianGrid2d': {},
    'TransposedConvUp': {}, 'BilinearThenConv': {}, 'ConvThenBilinear': {},
    'FIRUpsample': {}, 'BilinearUpsample': {},
    'UpsampleConv2d': dict(in_channels=2, out_channels=3),
    'ModulatedConv2dPE': dict(in_channels=2, out_channels=3, kernel_size=3, style_channels=4),
}
#: a bad argument of each, and what the ValueError says
BAD = [
    ('InterpPad', dict(mode='nearest'), 'bilinear'),
    ('PerConvInterpPad', dict(mode='area'), 'bilinear'),
    ('SinusoidalEncoding2d', dict(out_channels=6), 'divisible by 4'),
    ('MMagicSinusoidalEncoding2d', dict(out_channels=10), 'divisible by 4'),
    ('MMagicCartesianGrid2d', dict(resize='nearest'), 'resize'),
    ('LearnableConstant', dict(out_channels=3, resize='expand'), 'resize'),
    ('UpsampleConv2d', dict(in_channels=2, out_channels=3, kernel_size=4), 'odd kernel'),
    ('ModulatedConv2dPE', dict(in_channels=2, out_channels=3, kernel_size=3, style_channels=4,
                               upsample='TransposedConvUp', padding='InterpPad'), 'transposed'),
    ('ModulatedConv2dPE', dict(in_channels=2, out_channels=3, kernel_size=3, style_channels=4,
                               upsample='ConvThenBilinear', padding='PerConvInterpPad'),
     'zero padding only'),
    ('ModulatedConv2dPE', dict(in_channels=2, out_channels=3, kernel_size=3, style_channels=4,
                               upsample='ZeroPadConv'), 'not an upsampling of a conv'),
]


@pytest.mark.parametrize('name', sorted(LAYERS))
def test_every_layer_builds_by_its_registered_name(name):
    module = MODELS.build(dict(type=name, **LAYERS[name]))
    assert type(module).__name__ == name and type(module).__module__.startswith('mmposgan')


@pytest.mark.parametrize('name,kwargs,match', BAD, ids=[f'{b[0]}-{i}' for i, b in enumerate(BAD)])
def test_bad_arguments_raise_value_error(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type=name, **kwargs))


def test_prepare_is_one_upsampling_and_border():
    """§4.1: the map is interpolated once, straight to the size the stack needs."""
    x = torch.randn(2, 3, 5, 7, dtype=torch.float64)
    once = F.interpolate(x, size=(14, 18), mode='bilinear', align_corners=True)
    torch.testing.assert_close(InterpPad().prepare(x, (10, 14), 2), once, rtol=0, atol=0)
    up = F.interpolate(x, size=(10, 14), mode='bilinear', align_corners=False)
    torch.testing.assert_close(ZeroPadConv().prepare(x, (10, 14), 2), up, rtol=0, atol=0)
    torch.testing.assert_close(ZeroPadInput().prepare(x, (10, 14), 2), F.pad(up, (2, ) * 4),
                               rtol=0, atol=0)
    same = torch.randn(1, 3, 9, 9)
    assert InterpPad().prepare(same, (5, 5), 2) is same  # already bordered: untouched


def test_modes_group_a_blocks_convs_into_stacks():
    assert InterpPad().stack_borders([1, 1]) == [2, 0]  # one border for the block
    assert PerConvInterpPad().stack_borders([1, 1]) == [1, 1]  # one per conv
    assert ZeroPadInput().stack_borders([1, 2]) == [3, 0]
    # padding-free heads are produced larger, zero-padded ones are padded by prepare()
    assert InterpPad().source_size(4, 1) == PerConvInterpPad().source_size(4, 1) == (6, 6)
    assert ZeroPadInput().source_size(4, 1) == ZeroPadConv().source_size(4, 1) == (4, 4)


def test_check_padding_names_the_mode_and_the_alternatives():
    with pytest.raises(ValueError, match=r'G does not take NoPad \(because\).*use '
                                         r'CircularInterpPad or CircularPad or InterpPad or '
                                         r'PerConvInterpPad or ZeroPadConv or ZeroPadInput'):
        check_padding(build_padding('NoPad'), 'G', why='because', keeps_size=True)
    check_padding(InterpPad(), 'G', keeps_size=True, is_padding_free=True)  # no error
    with pytest.raises(ValueError, match='unknown padding capabilities'):
        check_padding(InterpPad(), 'G', symmetric=True)


def test_builders_refuse_modules_of_another_kind():
    with pytest.raises(ValueError, match='not an upsampling of a conv'):
        build_conv_upsampling('BilinearUpsample')
    with pytest.raises(ValueError, match='not an upsampling of the RGB skip'):
        build_skip_upsampling(dict(type='InterpPad'))
    with pytest.raises(ValueError, match='not a padding mode'):
        build_padding(build_skip_upsampling('FIRUpsample'))
    with pytest.raises(KeyError, match='Nearest2x'):
        build_skip_upsampling('Nearest2x')


def test_build_head_fills_what_the_generator_decides():
    spe = build_head('SinusoidalEncoding2d', out_channels=16, base_size=4)
    assert spe.out_channels == 16 and spe.base_size == (4, 4)
    assert build_head(dict(type='SinusoidalEncoding2d', out_channels=8),
                      out_channels=16).out_channels == 8  # the config's own value wins
    assert build_head('CartesianGrid2d', out_channels=16).out_channels == 2  # fixed channels
    with pytest.raises(ValueError, match=r'base_size=\(6, 6\).*base_size=4'):
        build_head(dict(type='LearnableConstant', out_channels=2, base_size=4), base_size=6)


def test_skip_upsampling_fir_zero_pads_bilinear_does_not():
    """A constant RGB image stays constant through the bilinear skip; the FIR skip of
    StyleGAN2 (used by the released 'padding-free' models) darkens its border."""
    const = torch.full((1, 3, 6, 6), 0.7, dtype=torch.float64)
    bilinear = build_skip_upsampling('BilinearUpsample')(const)
    fir = build_skip_upsampling('FIRUpsample')(const)
    assert bilinear.shape == fir.shape == (1, 3, 12, 12)
    assert (bilinear - 0.7).abs().max() < 1e-12
    assert (fir[..., 3:-3, 3:-3] - 0.7).abs().max() < 1e-12  # interior: exact
    assert (fir[..., 0, :] - 0.7).abs().min() > 0.1  # border: zeros leak in
    rgb = ToRGB(4, 2, skip_upsample='BilinearUpsample')
    with pytest.raises(ValueError, match='first one'):
        ToRGB(4, 2)(torch.randn(1, 4, 4, 4), torch.randn(1, 2), skip=torch.randn(1, 3, 2, 2))
    assert rgb(torch.randn(1, 4, 4, 4), torch.randn(1, 2), torch.randn(1, 3, 2, 2)).shape == (
        1, 3, 4, 4)


def test_one_size_helper_and_one_power_of_two_check():
    assert to_size(5) == (5, 5) and to_size((3, 4)) == (3, 4) and to_size([3.0, 4]) == (3, 4)
    for bad in (0, (0, 3), (1, 2, 3), 'ab', None):
        with pytest.raises(ValueError, match='size'):
            to_size(bad)
    assert log2_of_power_of_two(256, 'out_size', 8) == 8
    for bad in (48, 4, 0, -8):
        with pytest.raises(ValueError, match='out_size must be a power of two >= 8'):
            log2_of_power_of_two(bad, 'out_size', 8)
