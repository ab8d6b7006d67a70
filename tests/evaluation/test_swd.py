"""Multi-level SWD (paper Tab. 3/4/6) on known cases.

Data: random 32 px crops of the shipped photograph (``resources/balloons.png``),
two disjoint draws standing in for "real" and "fake" sets of one distribution.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from mmposgan.evaluation.functional.swd import (check_swd_levels, default_swd_levels,
                                                multi_level_swd, pyramid_levels)
from ..conftest import BALLOONS

NUM = 16  # images per set: 2048 descriptors per level


def crops(num, size, seed):
    img = np.asarray(Image.open(BALLOONS).convert('RGB'))
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(num):
        y, x = rng.integers(0, img.shape[0] - size), rng.integers(0, img.shape[1] - size)
        out.append(img[y:y + size, x:x + size])
    return torch.from_numpy(np.stack(out)).permute(0, 3, 1, 2).float() / 127.5 - 1


@pytest.fixture(scope='module')
def sets():
    return crops(NUM, 32, 0), crops(NUM, 32, 1)


@pytest.fixture(scope='module')
def by_seed(sets):
    """SWD of the two real draws for seeds 0, 1, 2."""
    return {seed: multi_level_swd(*sets, seed=seed) for seed in range(3)}


def test_default_levels_follow_the_paper_and_karras_minimum():
    assert default_swd_levels(128) == [128, 64, 32]  # the paper's columns
    assert default_swd_levels(256) == [256, 128, 64]
    assert default_swd_levels(32) == [32, 16]
    assert default_swd_levels(16) == [16]
    assert default_swd_levels(48, 72) == [48, 24]  # 12 < 16 stops it
    # the pyramid always goes down to 16 px (Karras), whatever is reported
    assert pyramid_levels(128) == [128, 64, 32, 16]
    assert pyramid_levels(256) == [256, 128, 64, 32, 16]
    assert pyramid_levels(40, 60) == [40, 20]
    # a level below 16 px needs a pyramid built further down
    with pytest.raises(ValueError, match="below the pyramid's residual level"):
        check_swd_levels(32, 32, [16, 32, 8])
    assert check_swd_levels(32, 32, [16, 32, 8], min_size=8) == [32, 16, 8]


def test_identical_sets_give_exactly_zero(sets):
    real, _ = sets
    result = multi_level_swd(real, real.clone(), seed=3)
    assert set(result) == {'32', '16', 'avg'}
    assert all(v == 0 for v in result.values())


def test_equal_seeds_equal_values_and_global_rng_untouched(sets, by_seed):
    real, fake = sets
    torch.manual_seed(123)
    np.random.seed(123)
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()
    assert multi_level_swd(real, fake, seed=1) == by_seed[1]
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.array_equal(np.random.get_state()[1], np_state[1])
    assert by_seed[0] != by_seed[1]


def test_values_agree_across_seeds(by_seed):
    """Tolerance: every level and the average within 15 % of their mean over
    3 seeds (measured spread at 16-64 images per set: a few %)."""
    for key in by_seed[0]:
        values = np.array([res[key] for res in by_seed.values()])
        assert np.all(np.abs(values / values.mean() - 1) < 0.15), (key, values)


def test_distorted_sets_are_clearly_farther(sets, by_seed):
    real, fake = sets
    base = by_seed[0]
    gen = torch.Generator().manual_seed(0)
    noisy = (fake + 0.2 * torch.randn(fake.shape, generator=gen)).clamp(-1, 1)
    blurred = F.avg_pool2d(fake, 3, 1, 1, count_include_pad=False)
    # coarse structure swapped: each image is its own 2x downscale tiled 2x2
    tiled = F.avg_pool2d(fake, 2).repeat(1, 1, 2, 2)
    res_noisy, res_blur, res_tiled = (multi_level_swd(real, x) for x in (noisy, blurred, tiled))
    assert res_noisy['32'] > 4 * base['32'] and res_noisy['avg'] > 1.5 * base['avg']
    assert res_blur['32'] > 1.25 * base['32'] and res_blur['avg'] > 1.1 * base['avg']
    assert res_tiled['avg'] > 1.5 * base['avg']


def test_grayscale_and_unequal_sizes(sets, by_seed):
    real, fake = sets
    gray_real, gray_fake = real.mean(1, keepdim=True), fake.mean(1, keepdim=True)
    assert multi_level_swd(gray_real, gray_real)['avg'] == 0
    assert multi_level_swd(gray_real, gray_fake)['avg'] > 0
    # unequal set sizes use the exact W1 of the empirical distributions
    res = multi_level_swd(real, fake[:NUM - 5])
    assert 0.5 < res['avg'] / by_seed[0]['avg'] < 2


def test_non_square_keys():
    imgs = crops(4, 64, 2)[:, :, :32]
    res = multi_level_swd(imgs, imgs.flip(3), levels=[32, 16])
    assert set(res) == {'32x64', '16x32', 'avg'}


@pytest.mark.parametrize('real, fake, levels, match', [
    (torch.zeros(2, 3, 32, 32), torch.zeros(2, 3, 64, 64), None, 'differ in shape'),
    (torch.zeros(2, 4, 32, 32), torch.zeros(2, 4, 32, 32), None, 'C = 1 or 3'),
    (torch.zeros(2, 3, 8, 8), torch.zeros(2, 3, 8, 8), None, 'smaller than the smallest'),
    (torch.zeros(2, 3, 32, 32), torch.zeros(2, 3, 32, 32), [4], "below the pyramid's residual"),
    (torch.zeros(2, 3, 32, 32), torch.zeros(2, 3, 32, 32), [24], 'not a Laplacian level'),
    (torch.full((2, 3, 32, 32), 255.), torch.zeros(2, 3, 32, 32), None, r'\[0, 255\]'),
    (torch.full((2, 3, 32, 32), float('nan')), torch.zeros(2, 3, 32, 32), None, 'NaN'),
    (torch.zeros(0, 3, 32, 32), torch.zeros(2, 3, 32, 32), None, 'no images'),
])
def test_bad_inputs_raise_clear_errors(real, fake, levels, match):
    with pytest.raises(ValueError, match=match):
        multi_level_swd(real, fake, levels=levels)


def test_bad_pyramid_options():
    images = torch.zeros(2, 3, 32, 32)
    with pytest.raises(ValueError, match='smaller than 8 px'):
        multi_level_swd(images, images, min_size=4)
    with pytest.raises(ValueError, match="pyramid must be one of"):
        multi_level_swd(images, images, pyramid='opencv')
