"""Multi-level SWD against an independent numpy re-implementation of Karras's recipe.

The reference below follows PGGAN's ``metrics/sliced_wasserstein.py`` (Karras
et al. 2018, App. D) step by step in numpy/scipy, float32 as there: Laplacian
pyramid always down to 16 px with ``scipy.ndimage.convolve(mode='mirror')``,
``7×7`` neighbourhoods, per-set per-channel standardisation with ``np.std``,
random unit directions, sorted projections, mean absolute difference.  Only
the random draws are shared: the patch positions and the directions that
``multi_level_swd`` draws are recorded and handed to the reference ("same
descriptors, same directions").  MMGeneration's pyramid (zero padding,
nearest-neighbour upsampling; what the paper's authors ran) is re-implemented
the same way for ``pyramid='mmgen'``.
"""
import numpy as np
import pytest
import scipy.ndimage
import torch

from mmposgan.evaluation.functional import swd as swd_module
from mmposgan.evaluation.functional.swd import multi_level_swd
from .test_swd import crops

KERNEL = np.float32([[1, 4, 6, 4, 1], [4, 16, 24, 16, 4], [6, 24, 36, 24, 6],
                     [4, 16, 24, 16, 4], [1, 4, 6, 4, 1]]) / 256.0


def _convolve(x, kernel, mode):
    return scipy.ndimage.convolve(x, kernel[np.newaxis, np.newaxis], mode=mode)


def ref_pyr_down(x, kind):
    return _convolve(x, KERNEL, 'mirror' if kind == 'karras' else 'constant')[:, :, ::2, ::2]


def ref_pyr_up(x, kind):
    n, c, h, w = x.shape
    if kind == 'karras':  # Karras: zero insertion, kernel x4, mirror boundary (cv2.pyrUp)
        res = np.zeros((n, c, 2 * h, 2 * w), x.dtype)
        res[:, :, ::2, ::2] = x
        return _convolve(res, KERNEL * 4.0, 'mirror')
    # MMGeneration: nearest-neighbour 2x, then the kernel with zero padding
    return _convolve(x.repeat(2, axis=2).repeat(2, axis=3), KERNEL, 'constant')


def ref_laplacian_pyramid(images, num_levels, kind):
    pyramid = [np.float32(images)]
    for _ in range(1, num_levels):
        pyramid.append(ref_pyr_down(pyramid[-1], kind))
        pyramid[-2] -= ref_pyr_up(pyramid[-1], kind)
    return pyramid


def ref_descriptors(level, ys, xs, nhoods_per_image=128, nhood_size=7):
    half = nhood_size // 2
    num = len(ys)
    nhood, chan, y, x = np.ogrid[0:num, 0:3, -half:half + 1, -half:half + 1]
    img = nhood // nhoods_per_image
    y = y + ys.reshape(num, 1, 1, 1)
    x = x + xs.reshape(num, 1, 1, 1)
    return level[img, chan, y, x]


def ref_finalize(desc):
    desc = desc - np.mean(desc, axis=(0, 2, 3), keepdims=True)
    desc = desc / np.std(desc, axis=(0, 2, 3), keepdims=True)
    return desc.reshape(desc.shape[0], -1)


def ref_sliced_wasserstein(a, b, dirs_list):
    results = []
    for dirs in dirs_list:
        proj_a = np.sort(np.matmul(a, dirs), axis=0)
        proj_b = np.sort(np.matmul(b, dirs), axis=0)
        results.append(np.mean(np.abs(proj_a - proj_b)))
    return np.mean(results)


def karras_swd(real, fake, level_sizes, positions, directions, kind='karras'):
    """Karras's SWD x1e3 of the reported ``level_sizes`` (pyramid down to 16 px)."""
    size = real.shape[2]
    all_sizes = [size >> k for k in range(10) if size >> k >= 16]
    pyr_real = ref_laplacian_pyramid(real, len(all_sizes), kind)
    pyr_fake = ref_laplacian_pyramid(fake, len(all_sizes), kind)
    num = len(level_sizes)
    result = {}
    for i, level in enumerate(level_sizes):
        k = all_sizes.index(level)
        desc_real = ref_finalize(ref_descriptors(pyr_real[k], *positions[i]))
        desc_fake = ref_finalize(ref_descriptors(pyr_fake[k], *positions[num + i]))
        dirs = directions[4 * i:4 * (i + 1)]
        result[str(level)] = 1e3 * ref_sliced_wasserstein(desc_real, desc_fake, dirs)
    return result


def recorded_swd(monkeypatch, real, fake, **kwargs):
    """``multi_level_swd`` with its position and direction draws recorded (as numpy)."""
    positions, directions = [], []
    draw_positions, draw_directions = swd_module.draw_positions, swd_module.draw_directions

    def record_positions(*args):
        ys, xs = draw_positions(*args)
        positions.append((ys.numpy(), xs.numpy()))
        return ys, xs

    def record_directions(*args):
        dirs = draw_directions(*args)
        directions.append(dirs.numpy())
        return dirs

    monkeypatch.setattr(swd_module, 'draw_positions', record_positions)
    monkeypatch.setattr(swd_module, 'draw_directions', record_directions)
    result = multi_level_swd(torch.from_numpy(real), torch.from_numpy(fake), batch_size=1000,
                             **kwargs)
    return result, positions, directions


@pytest.fixture(scope='module')
def sets128():
    """Two sets of 8 crops of 128 px (real photograph content, different places)."""
    return crops(8, 128, 0).numpy(), crops(8, 128, 1).numpy()


@pytest.mark.parametrize('kind', ['karras', 'mmgen'])
def test_equals_karras_recipe_per_level_at_128px(monkeypatch, sets128, kind):
    """128 px: 128/64/32 are band-pass levels of a pyramid down to 16 px."""
    real, fake = sets128
    ours, positions, directions = recorded_swd(monkeypatch, real, fake, pyramid=kind)
    assert list(ours) == ['128', '64', '32', 'avg']
    assert len(positions) == 2 * 3 and len(directions) == 3 * 4
    ref = karras_swd(real, fake, [128, 64, 32], positions, directions, kind)
    for key, value in ref.items():
        assert ours[key] == pytest.approx(value, rel=1e-6, abs=1e-6), (key, ours[key], value)
    assert ours['avg'] == pytest.approx(np.mean(list(ref.values())), rel=1e-6)


def test_equals_karras_recipe_at_32px_band_pass_and_residual(monkeypatch):
    """32 px: the 32 px band-pass level and the 16 px residual."""
    real, fake = crops(16, 32, 2).numpy(), crops(16, 32, 3).numpy()
    ours, positions, directions = recorded_swd(monkeypatch, real, fake)
    assert list(ours) == ['32', '16', 'avg']
    ref = karras_swd(real, fake, [32, 16], positions, directions)
    for key, value in ref.items():
        assert ours[key] == pytest.approx(value, rel=1e-6, abs=1e-6), (key, ours[key], value)


def test_all_four_levels_of_a_128px_image(monkeypatch, sets128):
    real, fake = sets128
    ours, positions, directions = recorded_swd(monkeypatch, real, fake, levels=[128, 64, 32, 16])
    ref = karras_swd(real, fake, [128, 64, 32, 16], positions, directions)
    for key, value in ref.items():
        assert ours[key] == pytest.approx(value, rel=1e-6, abs=1e-6), (key, ours[key], value)


def test_32px_level_of_128px_images_is_band_pass(sets128):
    """A change confined to the 16 px residual (a brightness offset per image and
    channel: Karras's mirror-boundary pyramid keeps constants out of every band-pass
    level) leaves the 128/64/32 levels unchanged and moves only the 16 px level.
    When the pyramid stopped at 32 px, the '32' column was that residual."""
    real = torch.from_numpy(sets128[0])
    offset = torch.linspace(-0.4, 0.4, 8 * 3).reshape(8, 3, 1, 1)[torch.randperm(
        8, generator=torch.Generator().manual_seed(0))]
    shifted = real * 0.5 + offset  # stays in [-1, 1]
    base = real * 0.5
    res = multi_level_swd(base, shifted, levels=[128, 64, 32, 16])
    reference_scale = multi_level_swd(base, torch.from_numpy(sets128[1]) * 0.5)['32']
    for key in ('128', '64', '32'):
        assert res[key] < 1e-3 * reference_scale, (key, res[key], reference_scale)
    assert res['16'] > 0.1 * reference_scale
    default = multi_level_swd(base, shifted)
    assert set(default) == {'128', '64', '32', 'avg'} and default['32'] == res['32']
