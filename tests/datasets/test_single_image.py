"""The SinGAN image pyramid and its bad-input messages."""
import numpy as np
import pytest
from PIL import Image

from mmposgan.datasets import SingleImagePyramidDataset, load_rgb_image

from ..conftest import BALLOONS


def test_pyramid_of_shipped_image():
    ds = SingleImagePyramidDataset(BALLOONS, min_size=25, max_size=80)
    sizes = [r.shape[:2] for r in ds.reals]
    assert min(sizes[0]) == 25 and max(sizes[-1]) == 80
    assert sizes == sorted(sizes) and ds.num_scales == len(sizes) - 1
    item = ds[0]
    assert set(item['inputs']) == {f'real_scale{i}' for i in range(len(sizes))} | {'input_sample'}
    assert item['inputs']['real_scale0'].shape == (3, *sizes[0])


def test_missing_file():
    with pytest.raises(FileNotFoundError, match='no_such.png'):
        SingleImagePyramidDataset('no_such.png')


def test_corrupt_file(tmp_path):
    bad = tmp_path / 'bad.png'
    bad.write_bytes(b'not an image at all')
    with pytest.raises(ValueError, match='cannot read'):
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
