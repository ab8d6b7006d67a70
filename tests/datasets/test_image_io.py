"""One image reader for SinGAN and MS-PIE: bit depths, EXIF orientation, alpha, palette, CMYK.

The files are made here with PIL and OpenCV, as cameras and image tools
write them, and every case is read through both training paths.
"""
import cv2
import numpy as np
import pytest
from mmengine.config import Config
from PIL import Image

import mmposgan.datasets.image_io as image_io
from mmposgan.datasets import SingleImagePyramidDataset, load_rgb_image
from mmposgan.datasets.image_io import ImageReadError, image_size
from mmposgan.registry import DATASETS
from ..conftest import REPO

H, W = 48, 64


def gradient16():
    """A 16-bit ramp over the full range (0 .. 65535), (H, W)."""
    return np.linspace(0, 65535, H * W).reshape(H, W).round().astype(np.uint16)


@pytest.fixture(autouse=True)
def _fresh_notes():
    image_io._noted.clear()
    yield
    image_io._noted.clear()


def test_16bit_grayscale_is_scaled_not_saturated(tmp_path):
    path = tmp_path / 'gray16.png'
    a = gradient16()
    Image.fromarray(a).save(path)
    assert Image.open(path).mode == 'I;16'
    img = load_rgb_image(str(path))
    assert img.shape == (H, W, 3) and img.dtype == np.uint8
    want = np.round(a / 257.0)
    assert np.abs(img[..., 0].astype(int) - want).max() == 0
    assert (img == 255).mean() < 0.01  # mmposgan 0.1 made about 99 % of this ramp 255


def test_16bit_rgb_and_rgba_png(tmp_path):
    a = gradient16()
    rgb = np.stack([a, a[::-1], np.full_like(a, 30000)], -1)
    cv2.imwrite(str(tmp_path / 'rgb16.png'), rgb[..., ::-1])
    img = load_rgb_image(str(tmp_path / 'rgb16.png'))
    assert np.abs(img.astype(int) - np.round(rgb / 257.0)).max() <= 1
    rgba = np.concatenate([rgb, np.full_like(a, 65535)[..., None]], -1)
    cv2.imwrite(str(tmp_path / 'rgba16.png'), rgba[..., [2, 1, 0, 3]])
    assert np.abs(load_rgb_image(str(tmp_path / 'rgba16.png')).astype(int)
                  - np.round(rgb / 257.0)).max() <= 1


def test_float_tiffs(tmp_path):
    a = (gradient16() / 65535.0).astype(np.float32)  # [0, 1]
    Image.fromarray(a).save(tmp_path / 'gray.tif')  # Pillow: mode F
    img = load_rgb_image(str(tmp_path / 'gray.tif'))
    assert np.abs(img[..., 1].astype(int) - np.round(a * 255)).max() == 0
    rgb = np.stack([a, 1 - a, a * 0.5], -1)
    cv2.imwrite(str(tmp_path / 'rgb.tif'), rgb[..., ::-1],  # Pillow cannot read this one
                [cv2.IMWRITE_TIFF_COMPRESSION, 1])  # uncompressed (OpenCV's default is lossy)
    img = load_rgb_image(str(tmp_path / 'rgb.tif'))
    assert np.abs(img.astype(int) - np.round(rgb * 255)).max() <= 1
    Image.fromarray(a * 255).save(tmp_path / 'gray255.tif')  # floats holding 8-bit values
    assert np.abs(load_rgb_image(str(tmp_path / 'gray255.tif'))[..., 0].astype(int)
                  - np.round(a * 255)).max() <= 1
    bad = a.copy()
    bad[3, 4] = np.nan
    Image.fromarray(bad).save(tmp_path / 'nan.tif')
    with pytest.raises(ImageReadError, match='nan.tif: float image with NaN'):
        load_rgb_image(str(tmp_path / 'nan.tif'))


def test_32bit_integer_tiff(tmp_path):
    a = gradient16().astype(np.int32) * 32768  # 31-bit values
    Image.fromarray(a).save(tmp_path / 'i32.tif')
    img = load_rgb_image(str(tmp_path / 'i32.tif'))
    assert np.abs(img[..., 0].astype(int) - np.round(a / ((2.0**32 - 1) / 255))).max() == 0


def _orientation_6(tmp_path, ext):
    """Stored 20x40 (left half dark, right half bright), EXIF: rotate 90 degrees clockwise."""
    stored = np.zeros((20, 40, 3), np.uint8)
    stored[:, 20:] = 220
    stored[:, :20] = 30
    img = Image.fromarray(stored)
    exif = img.getexif()
    exif[0x0112] = 6
    path = tmp_path / f'phone.{ext}'
    img.save(path, exif=exif, **({'quality': 95} if ext == 'jpg' else {}))
    return str(path), np.rot90(stored, k=-1)


@pytest.mark.parametrize('ext', ['png', 'jpg'])
def test_exif_orientation_is_applied(tmp_path, ext):
    path, shown = _orientation_6(tmp_path, ext)
    img = load_rgb_image(path)
    assert img.shape == (40, 20, 3) and image_size(path) == (40, 20)
    assert np.abs(img.astype(int) - shown).max() <= (0 if ext == 'png' else 12)
    assert img[5, 10, 0] < 60 and img[35, 10, 0] > 190  # top dark, bottom bright


def test_alpha_palette_cmyk_gray(tmp_path):
    rgb = np.zeros((H, W, 3), np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 200, 30, 60
    cmyk = tmp_path / 'cmyk.jpg'
    Image.fromarray(rgb).convert('CMYK').save(cmyk, quality=95)
    assert Image.open(cmyk).mode == 'CMYK'
    assert np.abs(load_rgb_image(str(cmyk)).astype(int) - rgb).max() <= 3
    index = np.zeros((H, W), np.uint8)
    index[:, W // 2:] = 1
    pal = Image.fromarray(index, mode='P')
    pal.putpalette([200, 30, 60, 10, 20, 30] + [0] * 762)
    pal.save(tmp_path / 'pal.png', transparency=0)  # entry 0 transparent, entry 1 opaque
    img = load_rgb_image(str(tmp_path / 'pal.png'))
    assert np.all(img[:, :W // 2] == 255) and np.all(img[:, W // 2:] == [10, 20, 30])
    la = np.zeros((H, W, 2), np.uint8)
    la[..., 0], la[..., 1] = 100, 128  # half transparent gray: 100 * 0.502 + 255 * 0.498
    Image.fromarray(la, mode='LA').save(tmp_path / 'la.png')
    assert np.all(np.abs(load_rgb_image(str(tmp_path / 'la.png')).astype(int) - 178) <= 1)
    Image.fromarray(rgb[..., 0] > 100).save(tmp_path / 'bits.png')  # mode '1'
    assert np.all(load_rgb_image(str(tmp_path / 'bits.png')) == 255)


def test_each_conversion_is_logged_once(tmp_path, monkeypatch):
    lines = []
    monkeypatch.setattr(image_io, 'print_log', lambda msg, **kw: lines.append(msg))
    for i in range(3):
        arr = np.zeros((H, W, 4), np.uint8)
        arr[..., 3] = 255
        Image.fromarray(arr, mode='RGBA').save(tmp_path / f'{i}.png')
        load_rgb_image(str(tmp_path / f'{i}.png'))
    Image.fromarray(gradient16()).save(tmp_path / 'g16.png')
    load_rgb_image(str(tmp_path / 'g16.png'))
    load_rgb_image(str(tmp_path / 'g16.png'))
    assert len(lines) == 2 and '0.png' in lines[0] and '16-bit' in lines[1]


def test_unreadable_files(tmp_path):
    (tmp_path / 'text.png').write_bytes(b'<html>not an image</html>')
    with pytest.raises(ImageReadError, match='text.png: not a readable image'):
        load_rgb_image(str(tmp_path / 'text.png'))
    Image.fromarray(np.zeros((H, W, 3), np.uint8)).save(tmp_path / 'cut.jpg')
    data = (tmp_path / 'cut.jpg').read_bytes()
    (tmp_path / 'cut.jpg').write_bytes(data[:len(data) // 2])
    with pytest.raises(ImageReadError, match='cut.jpg: not a readable image'):
        load_rgb_image(str(tmp_path / 'cut.jpg'))
    with pytest.raises(FileNotFoundError, match='nothing.png'):
        load_rgb_image(str(tmp_path / 'nothing.png'))


def test_singan_and_ms_pie_read_the_same_pixels(tmp_path):
    """Both training paths go through the one reader (16-bit, rotated, alpha)."""
    folder = tmp_path / 'folder'
    folder.mkdir()
    a = gradient16()
    Image.fromarray(a).save(folder / 'g16.png')
    path, _ = _orientation_6(folder, 'png')
    cfg = Config.fromfile(f'{REPO}/configs/_base_/datasets/ffhq_ms_pie.py')
    inner = cfg.train_dataloader.dataset.dataset
    inner.update(data_root=str(folder))
    inner.pipeline = [p for p in inner.pipeline if p['type'] not in ('Flip', 'PackInputs')]
    ms_pie = DATASETS.build(cfg.train_dataloader.dataset)
    for idx in range(len(ms_pie)):
        file = ms_pie.dataset.get_data_info(idx)['gt_path']
        h, w = image_size(file)
        item = ms_pie[(idx, (h, w))]
        single = SingleImagePyramidDataset(file, min_size=min(h, w), max_size=max(h, w))
        assert np.array_equal(item['gt'], single.reals[-1])
        assert np.array_equal(item['gt'], load_rgb_image(file))
