"""The SinGAN image pyramid and its bad-input messages."""
import re

import numpy as np
import pytest
from PIL import Image

from mmposgan.datasets import SingleImagePyramidDataset, load_rgb_image
from mmposgan.datasets.single_image import pyramid_sizes
from ..conftest import BALLOONS


def test_pyramid_of_shipped_image():
    ds = SingleImagePyramidDataset(BALLOONS, min_size=25, max_size=80)
    sizes = [r.shape[:2] for r in ds.reals]
    assert min(sizes[0]) == 25 and max(sizes[-1]) == 80
    assert all(b[0] > a[0] and b[1] > a[1] for a, b in zip(sizes, sizes[1:]))
    assert ds.num_scales == len(sizes) - 1
    # the shipped configs' setting (25 / 250): SinGAN's 9 stages, num_scales=8
    full = SingleImagePyramidDataset(BALLOONS, min_size=25, max_size=250)
    assert [r.shape[:2] for r in full.reals] == [
        (25, 33), (32, 43), (41, 55), (53, 71), (68, 91), (88, 117), (113, 150), (145, 193),
        (186, 248)]
    item = ds[0]
    assert set(item['inputs']) == {f'real_scale{i}' for i in range(len(sizes))} | {'input_sample'}
    assert item['inputs']['real_scale0'].shape == (3, *sizes[0])


def test_missing_file():
    with pytest.raises(FileNotFoundError, match='no_such.png'):
        SingleImagePyramidDataset('no_such.png')


def test_corrupt_file(tmp_path):
    bad = tmp_path / 'bad.png'
    bad.write_bytes(b'not an image at all')
    with pytest.raises(ValueError, match='bad.png: not a readable image'):
        SingleImagePyramidDataset(str(bad))


def test_too_small(tmp_path):
    path = tmp_path / 'small.png'
    Image.new('RGB', (40, 20)).save(path)
    with pytest.raises(ValueError, match='min_size=25'):
        SingleImagePyramidDataset(str(path), min_size=25)


def test_grayscale_and_rgba_are_converted(tmp_path):
    gray = tmp_path / 'gray.png'
    Image.fromarray(np.full((30, 40), 77, np.uint8), mode='L').save(gray)
    img = load_rgb_image(str(gray))
    assert img.shape == (30, 40, 3) and np.all(img == 77)
    rgba = tmp_path / 'rgba.png'
    arr = np.zeros((30, 40, 4), np.uint8)
    arr[..., 0] = 200
    arr[:, :20, 3] = 255  # left half opaque red, right half transparent
    Image.fromarray(arr, mode='RGBA').save(rgba)
    img = load_rgb_image(str(rgba))
    assert img.shape == (30, 40, 3)
    assert img[0, 0].tolist() == [200, 0, 0] and img[0, -1].tolist() == [255, 255, 255]
    assert len(SingleImagePyramidDataset(str(rgba), min_size=25, max_size=40).reals) >= 1


def test_elongated_image_is_refused_with_the_sizes_that_work(tmp_path):
    """1920x1080 with min 25 / max 40: mmposgan 0.1 built stages (25, 43) then (23, 40)."""
    path = tmp_path / 'wide.png'
    Image.new('RGB', (1920, 1080), (90, 120, 200)).save(path)
    with pytest.raises(ValueError, match=r'wide.png: image is 1080x1920 .*more elongated.*'
                       r'max_size >= 44 \(with min_size=25\) or min_size <= 23'):
        SingleImagePyramidDataset(str(path), min_size=25, max_size=40)
    for min_size, max_size in ((25, 44), (23, 40)):  # the advice works
        ds = SingleImagePyramidDataset(str(path), min_size=min_size, max_size=max_size)
        sizes = [r.shape[:2] for r in ds.reals]
        assert min(sizes[0]) == min_size and max(sizes[-1]) == max_size
    # extreme ratio: mmposgan 0.1 gave one stage of 25x2 below min_size
    Image.new('RGB', (2000, 40), 0).save(tmp_path / 'strip.png')
    with pytest.raises(ValueError, match='more elongated'):
        SingleImagePyramidDataset(str(tmp_path / 'strip.png'), min_size=25, max_size=250)


def test_pyramid_sizes_grow_or_the_error_says_why():
    """Random images and settings: stages strictly grow from min_size to max_size, or a
    ValueError; refused settings are exactly those whose resized image is too thin."""
    rng = np.random.default_rng(0)
    refused = 0
    for _ in range(3000):
        h, w = (int(v) for v in rng.integers(10, 3000, 2))
        min_size = int(rng.integers(5, 60))
        max_size = int(rng.integers(min_size, 400))
        factor = float(rng.uniform(0.5, 0.95))
        try:
            sizes, scale = pyramid_sizes((h, w), min_size, max_size, factor)
        except ValueError as err:
            refused += 1
            thin = min(h, w) < min_size or \
                int(min(h, w) * min(max_size / max(h, w), 1) + 0.5) < min_size
            advice = re.search(r'use scale_factor_init <= ([\d.]+)', str(err))
            assert thin or advice, (h, w, min_size, max_size, factor, err)
            if advice:  # the advice works
                pyramid_sizes((h, w), min_size, max_size, float(advice.group(1)))
            continue
        assert all(b[0] > a[0] and b[1] > a[1] for a, b in zip(sizes, sizes[1:]))
        assert min(sizes[0]) == min_size or len(sizes) == 1
        assert max(sizes[-1]) == min(max_size, max(h, w))
        assert scale < 1 or len(sizes) == 1
    assert 0 < refused < 3000
