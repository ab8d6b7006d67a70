"""MS-PIE data: scale frequencies, one scale per global batch, antialiased resize, bad input."""
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
    a, b = ScaleSchedule([4, 6, 8], [0.5, 0.25, 0.25], seed=1), ScaleSchedule([4, 6, 8], [0.5, 0.25, 0.25], seed=1)
    seq = [a.scale_at(t) for t in range(50)]
    assert seq == [b.scale_at(t) for t in range(50)]
    assert seq[20:] == [a.scale_at(t) for t in range(20, 50)]  # resuming continues it
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
