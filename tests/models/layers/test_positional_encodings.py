"""Input heads: exact values of Eq. 6/8, the resize modes of Tab. 1, mmagic parity."""
import math

import pytest
import torch
from mmagic.models.editors.mspie.positional_encoding import (CatersianGrid,
                                                             SinusoidalPositionalEmbedding)

from mmposgan.models.layers import (CartesianGrid2d, LearnableConstant, MMagicCartesianGrid2d,
                                    MMagicSinusoidalEncoding2d, SinusoidalEncoding2d)


@pytest.mark.parametrize('size', [(5, 7), (4, 6), (9, 9)])
def test_grid_corners_and_centre(size):
    grid = CartesianGrid2d()(2, size)
    assert grid.shape == (2, 2, *size)
    y, x = grid[0]
    assert y[0, 0] == -1 and x[0, 0] == -1  # top-left [-1, -1]
    assert y[-1, -1] == 1 and x[-1, -1] == 1  # bottom-right [1, 1]
    assert y[0, -1] == -1 and x[0, -1] == 1
    h, w = size
    if h % 2 and w % 2:
        assert y[h // 2, w // 2] == 0 and x[h // 2, w // 2] == 0
    # Eq. 7: constant step 2/(H-1) along each axis
    torch.testing.assert_close(y[1:, 0] - y[:-1, 0], torch.full((h - 1, ), 2 / (h - 1)))
    assert torch.all(y == y[:, :1]) and torch.all(x == x[:1, :])


def test_grid_interp_keeps_anchors_expand_keeps_spacing():
    base = CartesianGrid2d(base_size=5, resize='interp')(1)[0]
    interp = CartesianGrid2d(base_size=5, resize='interp')(1, (9, 9))[0]
    assert interp[:, 0, 0].tolist() == [-1, -1] and interp[:, -1, -1].tolist() == [1, 1]
    expand = CartesianGrid2d(base_size=5, resize='expand')(1, (9, 9))[0]
    torch.testing.assert_close(expand[:, 2:7, 2:7], base)  # base grid in the centre
    torch.testing.assert_close(expand[0, 1:, 0] - expand[0, :-1, 0], torch.full((8, ), 0.5))
    assert expand[0, 0, 0] == -2  # beyond the anchor, same spacing


def _eq8(pos, channels):
    d = channels // 2
    out = []
    for k in range(d // 2):
        omega = 1 / 10000**(2 * k / d)
        out += [math.sin(omega * pos), math.cos(omega * pos)]
    return torch.tensor(out)


@pytest.mark.parametrize('channels', [4, 8, 16])
def test_spe_matches_eq8(channels):
    h, w = 6, 11
    spe = SinusoidalEncoding2d(channels)(1, (h, w))[0]
    assert spe.shape == (channels, h, w)
    d = channels // 2
    for i, j in [(0, 0), (3, 7), (5, 10)]:
        torch.testing.assert_close(spe[:d, i, j], _eq8(i, channels).float(), atol=1e-6, rtol=0)
        torch.testing.assert_close(spe[d:, i, j], _eq8(j, channels).float(), atol=1e-6, rtol=0)
    # height half constant along width and vice versa
    assert torch.all(spe[:d] == spe[:d, :, :1]) and torch.all(spe[d:] == spe[d:, :1, :])


def test_spe_eq9_offset_rotation():
    spe = SinusoidalEncoding2d(8)(1, (1, 40))[0].double()
    d = 4
    for k in range(d // 2):
        omega = 1 / 10000**(2 * k / d)
        for i, i2 in [(30, 3), (17, 12)]:
            phi = omega * (i - i2)
            rot = torch.tensor([[math.cos(phi), math.sin(phi)], [-math.sin(phi), math.cos(phi)]],
                               dtype=torch.float64)
            pair = spe[d + 2 * k:d + 2 * k + 2, 0]
            torch.testing.assert_close(pair[:, i], rot @ pair[:, i2], atol=1e-6, rtol=0)


def test_spe_expand_keeps_spacing_interp_keeps_anchors():
    base = SinusoidalEncoding2d(8, base_size=6)(1)[0]
    expand = SinusoidalEncoding2d(8, base_size=6, resize='expand')(1, (10, 10))[0]
    torch.testing.assert_close(expand[:, 2:8, 2:8], base)
    # unit spacing: the w0 = 1 channel pair advances by exactly 1 radian per cell
    angle = torch.atan2(expand[4, 0], expand[5, 0])
    step = torch.remainder(angle[1:] - angle[:-1] + math.pi, 2 * math.pi) - math.pi
    torch.testing.assert_close(step, torch.ones(9), atol=1e-5, rtol=0)
    interp = SinusoidalEncoding2d(8, base_size=6, resize='interp')(1, (10, 10))[0]
    for (a, b), (c, d) in [((0, 0), (0, 0)), ((-1, -1), (-1, -1)), ((0, -1), (0, -1))]:
        torch.testing.assert_close(interp[:, a, b], base[:, c, d])


@pytest.mark.parametrize('div_half_dim', [False, True])
@pytest.mark.parametrize('size', [(4, 4), (7, 13), (64, 96)])
def test_mmagic_spe_is_mmagic_spe2d(size, div_half_dim):
    theirs = SinusoidalPositionalEmbedding(4, padding_idx=0, init_size=512,
                                           div_half_dim=div_half_dim, center_shift=200)
    expected = theirs.make_grid2d_like(torch.zeros(2, 1, *size))
    ours = MMagicSinusoidalEncoding2d(8, div_half_dim=div_half_dim)(2, size)
    assert ours.shape == expected.shape
    assert torch.equal(ours, expected)


def test_mmagic_csg_is_mmagic_grid():
    expected = CatersianGrid().make_grid2d_like(torch.zeros(1, 1, 7, 12))
    torch.testing.assert_close(MMagicCartesianGrid2d()(1, (7, 12)), expected)


def test_constant_interp_only_and_bad_arguments():
    const = LearnableConstant(3, base_size=4)
    assert const(2, (6, 6)).shape == (2, 3, 6, 6)
    torch.testing.assert_close(const(1)[0], const.weight[0])
    with pytest.raises(ValueError, match='resize'):
        LearnableConstant(3, resize='expand')
    with pytest.raises(ValueError, match='divisible by 4'):
        SinusoidalEncoding2d(6)
    with pytest.raises(ValueError, match='divisible by 4'):
        MMagicSinusoidalEncoding2d(6)
    with pytest.raises(ValueError, match='resize'):
        SinusoidalEncoding2d(8, resize='nearest')


def test_parameter_free_heads_follow_the_module():
    """Heads without parameters are produced where the module lives (device, dtype)."""
    for head in (SinusoidalEncoding2d(8), CartesianGrid2d()):
        assert head(1, (3, 4)).dtype == torch.float32
        assert head.double()(1, (3, 4)).dtype == torch.float64
        assert 'device_ref' not in head.state_dict()
