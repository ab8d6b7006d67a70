"""Padding modes: size arithmetic, translation equivariance (Eq. 1-3) and its loss at borders."""
import pytest
import torch
import torch.nn as nn

from mmposgan.models.layers import (CircularInterpPad, CircularPad, InterpPad, NoPad,
                                    PerConvInterpPad, UpsampleConv2d, ZeroPadConv, ZeroPadInput,
                                    build_padding)

MODES = [ZeroPadConv, ZeroPadInput, InterpPad, PerConvInterpPad, NoPad, CircularPad,
         CircularInterpPad]


def conv_stack(mode, num_convs=3, k=3, channels=4, seed=0):
    torch.manual_seed(seed)
    convs = [nn.Conv2d(channels, channels, k, padding=mode.conv_padding(k))
             for _ in range(num_convs)]
    layers = []
    for conv in convs:
        layers += [conv, nn.LeakyReLU(0.2)]
    return nn.Sequential(*layers).double()


@pytest.mark.parametrize('mode_cls', MODES)
@pytest.mark.parametrize('size', [(16, 16), (13, 21)])
def test_output_size_matches_own_arithmetic(mode_cls, size):
    mode = mode_cls()
    num_convs, k = 3, 5
    shrink = num_convs * (k // 2)
    stack = conv_stack(mode, num_convs, k)
    x = torch.randn(2, 4, *size, dtype=torch.float64)
    padded = mode.prepare(x, size, shrink)
    assert tuple(padded.shape[-2:]) == mode.input_size(size, shrink)
    assert tuple(stack(padded).shape[-2:]) == mode.output_size(size, shrink)


def test_valid_stack_is_exactly_shift_equivariant():
    stack = conv_stack(NoPad(), num_convs=4)
    x = torch.randn(1, 4, 24, 24, dtype=torch.float64)
    dy, dx = 3, 5
    shifted = x[..., dy:, dx:]  # the same signal, origin moved by (dy, dx)
    y, y_shift = stack(x), stack(shifted)
    torch.testing.assert_close(y_shift, y[..., dy:, dx:], atol=1e-12, rtol=0)


def test_zero_padding_breaks_equivariance_at_borders_only():
    stack = conv_stack(ZeroPadConv(), num_convs=4)
    x = torch.randn(1, 4, 24, 24, dtype=torch.float64)
    dy = dx = 4
    y, y_shift = stack(x), stack(x[..., dy:, dx:])
    reach = 4  # 4 convs of radius 1
    interior = (y_shift - y[..., dy:, dx:])[..., reach:-reach, reach:-reach]
    assert interior.abs().max() < 1e-12  # away from the border: equivariant
    border = (y_shift - y[..., dy:, dx:])[..., :reach, :]
    assert border.abs().max() > 1e-3  # the new top border sees zeros


@pytest.mark.parametrize('mode_cls,uniform', [(InterpPad, True), (ZeroPadInput, False),
                                              (ZeroPadConv, False)])
def test_constant_input_stays_constant_only_without_zero_padding(mode_cls, uniform):
    """§3.3: a spatially identical input gives a spatially identical output
    unless zero padding injects position."""
    mode = mode_cls()
    stack = conv_stack(mode, num_convs=3)
    x = torch.full((1, 4, 12, 12), 0.7, dtype=torch.float64)
    y = stack(mode.prepare(x, (12, 12), 3))
    spread = (y - y[..., 6:7, 6:7]).abs().max()
    assert (spread < 1e-12) == uniform


@pytest.mark.parametrize('mode', ['ZeroPadConv', 'InterpPad', 'NoPad', 'ZeroPadInput'])
def test_upsample_conv_sizes(mode):
    up = UpsampleConv2d(4, 6, 3, padding=mode)
    x = torch.randn(2, 4, 5, 7)
    y = up(x)
    assert tuple(y.shape) == (2, 6, *up.output_size((5, 7)))
    expected = (8, 12) if mode == 'NoPad' else (10, 14)
    assert up.output_size((5, 7)) == expected


def test_upsample_conv_interp_pad_is_padding_free():
    up = UpsampleConv2d(3, 3, 3, padding='InterpPad').double()
    y = up(torch.full((1, 3, 4, 4), -0.3, dtype=torch.float64))
    assert (y - y[..., :1, :1]).abs().max() < 1e-12


def test_bad_padding_config():
    with pytest.raises(KeyError, match='ReflectPad'):
        build_padding(dict(type='ReflectPad'))
    with pytest.raises(ValueError, match='not a padding mode'):
        build_padding(dict(type='CartesianGrid2d'))
    with pytest.raises(ValueError, match='odd kernel'):
        ZeroPadConv().conv_padding(4)
    with pytest.raises(ValueError, match='bilinear'):
        InterpPad(mode='nearest')
    with pytest.raises(ValueError, match='too small'):
        NoPad().output_size((4, 4), 2)
