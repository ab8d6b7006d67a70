"""The real-statistics cache follows the images; a corrupt cache file is recomputed."""
import os
import types
import warnings

import numpy as np
import pytest
import torch
from mmagic.models.data_preprocessors import DataPreprocessor
from mmengine.dataset import pseudo_collate
from PIL import Image
from torch.utils.data import DataLoader

from mmposgan.evaluation.metrics import MultiLevelSWD
from mmposgan.evaluation.metrics.scale import dataset_fingerprint
from mmposgan.registry import DATASETS


def write_image(path, seed):
    rng = np.random.default_rng(seed)
    Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(path)


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / 'images'
    root.mkdir()
    for i in range(4):
        write_image(root / f'{i}.png', i)
    return root


def loader(root):
    dataset = DATASETS.build(dict(
        type='BasicImageDataset', data_root=str(root), data_prefix=dict(gt=''),
        pipeline=[dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
                  dict(type='PackInputs', keys=['gt'])]))
    return DataLoader(dataset, batch_size=2, collate_fn=pseudo_collate)


MODULE = types.SimpleNamespace(data_preprocessor=DataPreprocessor())


def prepared(cache, root, forbid_reading=False):
    """A fresh SWD metric (real descriptors cached) prepared on the images of ``root``."""
    metric = MultiLevelSWD(fake_nums=4, levels=[32, 16], cache_real=True, cache_dir=str(cache))
    if forbid_reading:
        metric.real_batches = lambda *a, **k: pytest.fail('real images read again')
    metric.prepare(MODULE, loader(root))
    return metric


def test_cache_is_reused_until_an_image_changes(tmp_path, folder):
    cache = tmp_path / 'cache'
    first = prepared(cache, folder)
    assert len(os.listdir(cache)) == 1
    again = prepared(cache, folder, forbid_reading=True)  # same images: the cache is read
    assert torch.equal(again.real_desc, first.real_desc)

    # one image replaced under the same name (new content, size and modification time)
    write_image(folder / '2.png', 99)
    stat = os.stat(folder / '2.png')
    os.utime(folder / '2.png', ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    edited = prepared(cache, folder)
    assert not torch.equal(edited.real_desc, first.real_desc)
    assert edited.real_stats_path != first.real_stats_path and len(os.listdir(cache)) == 2
    # only the edited image's descriptors changed (image i holds rows i*128 .. i*128+127)
    changed = (edited.real_desc != first.real_desc).flatten(1).any(1)
    assert changed.tolist() == [False, False, True, False]

    # touching a file (same content, new modification time) also misses the cache
    before = dataset_fingerprint(loader(folder).dataset)
    os.utime(folder / '0.png', ns=(stat.st_atime_ns, stat.st_mtime_ns + 2 * 10**9))
    assert dataset_fingerprint(loader(folder).dataset) != before
    prepared(cache, folder)
    assert len(os.listdir(cache)) == 3


def test_in_memory_images_are_keyed_on_content():
    a = DATASETS.build(dict(type='SklearnDigitsDataset', size=16, pipeline=[]))
    b = DATASETS.build(dict(type='SklearnDigitsDataset', size=16, pipeline=[]))
    assert dataset_fingerprint(a) == dataset_fingerprint(b)
    b.data_list[5]['gt'][0, 0, 0] ^= 1  # one pixel of one image (serialize_data=False)
    assert dataset_fingerprint(a) != dataset_fingerprint(b)


@pytest.mark.parametrize('content', [b'', b'<html>not a tensor file</html>', 'truncated'])
def test_corrupt_cache_file_is_recomputed_with_a_warning(tmp_path, folder, content):
    cache = tmp_path / 'cache'
    first = prepared(cache, folder)
    path = first.real_stats_path
    if content == 'truncated':
        data = open(path, 'rb').read()
        content = data[:len(data) // 2]
    with open(path, 'wb') as f:
        f.write(content)
    with pytest.warns(RuntimeWarning, match='unreadable.*computing the statistics again'):
        again = prepared(cache, folder)
    assert torch.equal(again.real_desc, first.real_desc)
    # the file was replaced by a valid one: the next run reads it without a warning
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        third = prepared(cache, folder, forbid_reading=True)
    assert torch.equal(third.real_desc, first.real_desc)


def test_cache_file_without_the_expected_entries_is_recomputed(tmp_path, folder):
    cache = tmp_path / 'cache'
    first = prepared(cache, folder)
    torch.save(dict(desc=torch.zeros(1)), first.real_stats_path)  # no 'size'
    with pytest.warns(RuntimeWarning, match=r"lacks \['size'\]"):
        again = prepared(cache, folder)
    assert torch.equal(again.real_desc, first.real_desc)
