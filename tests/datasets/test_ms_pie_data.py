"""MS-PIE data: scale frequencies, one scale per global batch, antialiased resize, bad input."""
import cv2
import numpy as np
import pytest
from PIL import Image
from scipy.stats import chisquare
from torch.utils.data import DataLoader

from mmposgan.datasets import MultiScaleBatchSampler, ScaleSchedule
from mmposgan.registry import DATASETS


def test_frequencies_follow_probabilities():
    """The paper's 0.5/0.25/0.25 (mmagic's port draws these uniformly)."""
    probs = [0.5, 0.25, 0.25]
    schedule = ScaleSchedule([256, 384, 512], probs, seed=2021)
    n = 4000
    counts = np.bincount([schedule.index_at(t) for t in range(n)], minlength=3)
    stat, p_value = chisquare(counts, np.array(probs) * n)
    assert p_value > 0.001, (counts, p_value)
    # and they are far from uniform
    assert chisquare(counts, [n / 3] * 3).pvalue < 1e-10


def test_draws_are_a_function_of_seed_and_iteration():
    a = ScaleSchedule([4, 6, 8], [0.5, 0.25, 0.25], seed=1)
    b = ScaleSchedule([4, 6, 8], [0.5, 0.25, 0.25], seed=1)
    seq = [a.scale_at(t) for t in range(50)]
    assert seq == [b.scale_at(t) for t in range(50)]
    # a resumed run asks from iteration 20 on, with no history: a fresh schedule, asked
    # backwards, gives the same draws (no hidden state)
    resumed = ScaleSchedule([4, 6, 8], [0.5, 0.25, 0.25], seed=1)
    assert [resumed.scale_at(t) for t in range(49, 19, -1)][::-1] == seq[20:]
    assert seq != [ScaleSchedule([4, 6, 8], [0.5, 0.25, 0.25], seed=2).scale_at(t)
                   for t in range(50)]
    assert len(set(seq)) == 3


@pytest.mark.parametrize('scales,probs,message', [
    ([256, 384], [0.5, 0.25, 0.25], 'one probability per scale'),
    ([256, 384], [1.5, -0.5], 'non-negative'),
    ([256, 384], [0.5, 0.4], 'sum to 1'),
    ([], None, 'at least one'),
    ([0, 384], None, 'positive'),
])
def test_bad_schedules_are_rejected(scales, probs, message):
    with pytest.raises(ValueError, match=message):
        ScaleSchedule(scales, probs)


def test_all_ranks_batch_at_the_same_scale():
    """Two ranks with disjoint shards see the same scale sequence."""
    ranks = [MultiScaleBatchSampler(list(range(r, 100, 2)), 3, [4, 6, 8], [0.5, 0.25, 0.25],
                                    seed=7) for r in (0, 1)]
    seqs = [[batch[0][1] for batch in sampler] for sampler in ranks]
    assert seqs[0] == seqs[1] and len(seqs[0]) == 16
    for batch in MultiScaleBatchSampler(list(range(9)), 3, [4, 8], seed=0):
        assert len({size for _, size in batch}) == 1


def _folder(tmp_path, sizes):
    for i, (h, w) in enumerate(sizes):
        rng = np.random.default_rng(i)
        Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(tmp_path / f'{i}.png')
    return str(tmp_path)


def _dataset(root):
    return DATASETS.build(dict(
        type='MultiScaleDataset',
        dataset=dict(type='BasicImageDataset', data_root=root, data_prefix=dict(gt=''),
                     pipeline=[dict(type='LoadImageFromFile', key='gt'),
                               dict(type='ResizeToTrainingScale', keys=['gt']),
                               dict(type='PackInputs', keys=['gt'])])))


def test_pipeline_resizes_with_antialiasing(tmp_path):
    root = _folder(tmp_path, [(32, 32)] * 4)
    ds = _dataset(root)
    sampler = MultiScaleBatchSampler(list(range(4)), 2, [8, 16], [0.5, 0.5], seed=0)
    loader = DataLoader(ds, batch_sampler=sampler, collate_fn=lambda x: x)
    for batch in loader:
        shapes = {tuple(item['inputs'].shape) for item in batch}
        assert len(shapes) == 1 and shapes.pop()[1:] in [(8, 8), (16, 16)]
    # area interpolation averages: a 4x downscale of noise is the block mean
    item = ds[(0, (8, 8))]['inputs'].float()
    src = np.asarray(Image.open(ds.dataset.get_data_info(0)['gt_path']), dtype=np.float64)
    block = src.reshape(8, 4, 8, 4, 3).mean(axis=(1, 3))[..., ::-1]  # loaded as BGR
    assert np.abs(item.permute(1, 2, 0).numpy() - block).max() <= 0.5 + 1e-4


def test_image_smaller_than_scale_and_unreadable_files(tmp_path):
    root = _folder(tmp_path, [(32, 32), (12, 40)])
    ds = _dataset(root)
    index = {ds.dataset.get_data_info(i)['gt_path'][-5:]: i for i in range(2)}
    with pytest.raises(ValueError, match='smaller than the training scale 16x16'):
        ds[(index['1.png'], (16, 16))]
    (tmp_path / '0.png').write_bytes(b'broken')
    with pytest.raises(ValueError, match='cannot load this image'):
        ds[(index['0.png'], (16, 16))]
    with pytest.raises(TypeError, match='MultiScaleBatchSampler'):
        ds[0]


def test_nan_or_infinite_probabilities_are_rejected():
    for probs in ([float('nan'), 1.0], [0.5, float('inf')], [float('-inf'), 1.0]):
        with pytest.raises(ValueError, match='finite'):
            ScaleSchedule([256, 384], probs)


def test_non_square_images_are_cropped_to_the_scale_not_squashed():
    """A 40x80 image at a 16x16 scale: the (random or centre) 40x40 window, area-resized."""
    from mmposgan.datasets.multi_scale import area_resize
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (40, 80, 3)).astype(np.uint8)

    def area(window):  # cv2 INTER_AREA of a window to 16x16
        return cv2.resize(window, (16, 16), interpolation=cv2.INTER_AREA)

    centre = area_resize(img, (16, 16), crop='center')
    assert np.array_equal(centre, area(img[:, 20:60]))
    np.random.seed(0)
    lefts = set()
    for _ in range(200):
        out = area_resize(img, (16, 16), crop='random')
        left = next(x for x in range(41) if np.array_equal(out, area(img[:, x:x + 40])))
        lefts.add(left)
    assert min(lefts) == 0 and max(lefts) == 40 and len(lefts) > 20
    squashed = area_resize(img, (16, 16), crop='squash')
    assert np.array_equal(squashed, area(img)) and not np.array_equal(squashed, centre)
    wide = area_resize(img, (16, 32), crop='center')  # same aspect ratio: the whole image
    assert np.array_equal(wide, cv2.resize(img, (32, 16), interpolation=cv2.INTER_AREA))
    with pytest.raises(ValueError, match='crop must be one of'):
        area_resize(img, (16, 16), crop='stretch')


def test_metric_reals_are_centre_cropped():
    """The scale-aware metrics resize reals with the same function (centre window)."""
    import torch

    from mmposgan.datasets.multi_scale import area_resize
    from mmposgan.evaluation.metrics.scale import resize_real
    rng = np.random.default_rng(1)
    imgs = rng.integers(0, 255, (2, 3, 30, 60)).astype(np.float32)
    out = resize_real(torch.from_numpy(imgs), (15, 15))
    for i in range(2):
        want = area_resize(imgs[i].transpose(1, 2, 0)[:, 15:45], (15, 15))
        np.testing.assert_allclose(out[i].permute(1, 2, 0).numpy(), want, atol=1e-4)


def test_training_pipeline_crops_with_a_random_window_by_default(tmp_path):
    root = _folder(tmp_path, [(20, 60)])
    ds = DATASETS.build(dict(
        type='MultiScaleDataset',
        dataset=dict(type='BasicImageDataset', data_root=root, data_prefix=dict(gt=''),
                     pipeline=[dict(type='LoadRGBImage', key='gt'),
                               dict(type='ResizeToTrainingScale', keys=['gt']),
                               dict(type='PackInputs', keys=['gt'])])))
    src = np.asarray(Image.open(ds.dataset.get_data_info(0)['gt_path']))
    np.random.seed(3)
    seen = {tuple(ds[(0, (20, 20))]['inputs'].permute(1, 2, 0).numpy()[0, 0]) for _ in range(30)}
    # every item is an unscaled 20x20 window: its corner pixel is one of the first-row pixels
    assert seen <= {tuple(p) for p in src[0, :41]} and len(seen) > 5


def test_empty_folder_is_refused_when_the_dataset_is_built(tmp_path):
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ValueError, match='empty: no training images found'):
        _dataset(str(tmp_path / 'empty'))


def test_scan_lists_unreadable_and_too_small_images(tmp_path):
    root = _folder(tmp_path, [(64, 64), (40, 90), (80, 30), (64, 70)])
    (tmp_path / 'x_broken.png').write_bytes(b'\x89PNG broken')
    ds = _dataset(root)
    with pytest.raises(ValueError) as info:
        ds.check_images([(32, 32), (64, 64)])
    message = str(info.value)
    assert message.count('\n') == 0
    assert message.startswith(f'{root}: 3 of 5 training images cannot be used')
    assert 'x_broken.png' in message and '1 unreadable' in message
    assert '1.png (40x90 < 64x64)' in message and '2.png (80x30 < 64x64)' in message
    assert '0.png' not in message and '3.png' not in message
    skipping = DATASETS.build(dict(ds_cfg := dict(
        type='MultiScaleDataset', bad_images='skip',
        dataset=dict(type='BasicImageDataset', data_root=root, data_prefix=dict(gt=''),
                     pipeline=[dict(type='LoadRGBImage', key='gt')]))))
    skipping.check_images([(32, 32), (64, 64)])
    kept = sorted(skipping.dataset.get_data_info(i)['gt_path'][-5:] for i in range(len(skipping)))
    assert kept == ['0.png', '3.png'] and ds_cfg['bad_images'] == 'skip'
