"""FID, precision/recall and SWD of a tiny MS-PIE StyleGAN2 at two scales, through
mmengine's Runner and mmagic's test loop.

The Inception/VGG files cannot be downloaded here: these tests use a small
*stand-in* feature network (a scripted random conv net with the same call
signature as Karras's TorchScript files, ``net(uint8 images, return_features=True)``)
saved as ``inception-2015-12-05.pt`` / ``vgg16.pt``.  They test the plumbing
(scale, resizing, caching, loading, errors), not the values of real FIDs.
"""
import os

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.runner import Runner
from torch import Tensor

from mmposgan.evaluation.metrics import (MultiLevelSWD, ScaleAwareFID, ScaleAwarePrecisionRecall,
                                         resize_real)
from mmposgan.registry import METRICS
from ..integration.test_ms_pie_training import tiny_cfg


class StandInFeatureNet(nn.Module):
    """Stand-in for Karras's TorchScript Inception/VGG (NOT the real network)."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv = nn.Conv2d(3, 6, 3, stride=2)

    def forward(self, x: Tensor, return_features: bool = False) -> Tensor:
        assert x.dtype == torch.uint8
        feat = F.adaptive_avg_pool2d(torch.relu(self.conv(x.float() / 127.5 - 1)), 2)
        return feat.flatten(1)


@pytest.fixture
def weights(tmp_path):
    """Stand-in networks saved under the names the metrics expect."""
    paths = {}
    for name in ('inception-2015-12-05.pt', 'vgg16.pt'):
        paths[name] = str(tmp_path / name)
        torch.jit.script(StandInFeatureNet()).save(paths[name])
    return paths


def eval_cfg(tmp_path, weights, scales=(32, 64)):
    cfg = tiny_cfg(tmp_path)
    cache = str(tmp_path / 'cache')
    metrics = []
    for scale in scales:
        metrics += [
            dict(type='ScaleAwareFID', fake_nums=4, real_nums=4, scale=scale,
                 inception_path=weights['inception-2015-12-05.pt'], cache_dir=cache),
            dict(type='ScaleAwarePrecisionRecall', fake_nums=4, real_nums=4, k=2, scale=scale,
                 vgg16_script=weights['vgg16.pt'], cache_dir=cache),
            dict(type='MultiLevelSWD', fake_nums=4, scale=scale, cache_dir=cache,
                 cache_real=scale == 64),
        ]
    cfg.test_dataloader = dict(
        batch_size=2, num_workers=0, sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(type='BasicImageDataset',
                     data_root=cfg.train_dataloader.dataset.dataset.data_root,
                     data_prefix=dict(gt=''),
                     pipeline=[dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
                               dict(type='PackInputs', keys=['gt'])]))
    cfg.test_cfg = dict(type='MultiTestLoop')
    cfg.test_evaluator = dict(type='Evaluator', metrics=metrics)
    return cfg


def run_test(runner):
    """``runner.test()`` returning the metrics (mmagic's MultiTestLoop returns None)."""
    evaluator, results = runner.test_loop.evaluators[0], {}
    orig = evaluator.evaluate
    evaluator.evaluate = lambda: results.update(orig()) or results
    runner.test()
    return results


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_every_metric_at_every_scale_with_real_stats_cached_once(tmp_path, weights):
    cfg = eval_cfg(tmp_path, weights)
    runner = Runner.from_cfg(cfg)
    seen = {}  # metric prefix -> sizes of the images its feature net saw
    for metric in runner.test_loop.evaluators[0].metrics:
        if isinstance(metric, MultiLevelSWD):
            orig = metric._descriptors
        else:
            orig = metric.forward_inception if isinstance(metric, ScaleAwareFID) \
                else metric.extract_features

        def spy(images, *args, _orig=orig, _prefix=metric.prefix):
            seen.setdefault(_prefix, set()).add(tuple(images.shape[-2:]))
            return _orig(images, *args)

        name = '_descriptors' if isinstance(metric, MultiLevelSWD) else (
            'forward_inception' if isinstance(metric, ScaleAwareFID) else 'extract_features')
        setattr(metric, name, spy)
    results = run_test(runner)
    for scale in (32, 64):
        assert 0 <= results[f'FID@{scale}/fid']
        assert 0 <= results[f'PR@{scale}/precision'] <= 1
        assert 0 <= results[f'PR@{scale}/recall'] <= 1
        levels = {32: ['32', '16'], 64: ['64', '32', '16']}[scale]  # default: >= 16 px, <= 3
        assert set(k for k in results if k.startswith(f'SWD@{scale}/')) == {
            f'SWD@{scale}/{level}' for level in levels + ['avg']}
        # reals (80 px crops) and fakes both reach each metric at its scale only
        for name in ('FID', 'PR', 'SWD'):
            assert seen[f'{name}@{scale}'] == {(scale, scale)}
    cached = sorted(os.listdir(tmp_path / 'cache'))
    # FID and PR at two scales, SWD only where asked (cache_real) at 64
    assert [c.split('-')[:2] for c in cached] == [
        ['inception_mean_cov', '32x32'], ['inception_mean_cov', '64x64'],
        ['swd_desc', '64x64'], ['vgg16_feat', '32x32'], ['vgg16_feat', '64x64']]

    # a second evaluation reads the cache: the feature nets never see real images again
    metrics = runner.test_loop.evaluators[0].metrics
    for cfg_metric, metric in zip(cfg.test_evaluator.metrics, metrics, strict=True):
        if isinstance(metric, MultiLevelSWD) and not metric.cache_real:
            continue
        again = METRICS.build(cfg_metric)
        again.real_batches = lambda *a, **k: pytest.fail('real images read again')
        again.prepare(runner.model, runner.test_dataloader)
        if isinstance(again, ScaleAwareFID):
            assert np.array_equal(again.real_cov, metric.real_cov)
        elif isinstance(again, MultiLevelSWD):
            assert torch.equal(again.real_desc, metric.real_desc)
            assert again._real_size == (64, 64)
        else:
            assert torch.equal(again.results_real, metric.results_real)


@pytest.mark.parametrize('cls, kwargs, filename', [
    (ScaleAwareFID, dict(), 'inception-2015-12-05.pt'),
    (ScaleAwarePrecisionRecall, dict(), 'vgg16.pt'),
])
def test_missing_weights_name_file_url_and_place(tmp_path, monkeypatch, cls, kwargs, filename):
    monkeypatch.setenv('MMPOSGAN_METRIC_WEIGHTS', str(tmp_path / 'weights'))
    with pytest.raises(FileNotFoundError) as err:
        cls(fake_nums=4, scale=64, **kwargs)
    msg = str(err.value)
    assert filename in msg and 'https://nvlabs-fi-cdn.nvidia.com/' in msg
    assert str(tmp_path / 'weights' / filename) in msg  # where to place it
    key = 'inception_path' if cls is ScaleAwareFID else 'vgg16_script'
    explicit = str(tmp_path / 'elsewhere' / filename)
    with pytest.raises(FileNotFoundError, match=f'{key}.*'):
        cls(fake_nums=4, **{key: explicit})
    (tmp_path / 'bad.pt').write_text('<html>not a network</html>')
    with pytest.raises(ValueError, match='not a TorchScript'):
        cls(fake_nums=4, **{key: str(tmp_path / 'bad.pt')})


def test_weights_found_through_the_environment_folder(tmp_path, monkeypatch, weights):
    monkeypatch.setenv('MMPOSGAN_METRIC_WEIGHTS', str(tmp_path))
    metric = ScaleAwareFID(fake_nums=4, scale=(64, 96))
    assert metric.prefix == 'FID@64x96' and metric.sample_kwargs == {'size': (64, 96)}
    assert metric.SAMPLER_MODE == 'Generative@64x96'


def test_fakes_at_another_scale_and_bad_arguments_are_errors(weights):
    metric = MultiLevelSWD(fake_nums=4, scale=64)
    fakes = [dict(fake_img=torch.zeros(3, 32, 32))] * 2
    with pytest.raises(ValueError, match='produced 32x32 images, the metric evaluates at 64x64'):
        metric.fake_images(fakes)
    with pytest.raises(ValueError, match='not a Laplacian level'):
        MultiLevelSWD(fake_nums=4, scale=64, levels=[48])
    with pytest.raises(ValueError, match='either as scale= or as'):
        MultiLevelSWD(fake_nums=4, scale=64, sample_kwargs=dict(size=32))
    with pytest.raises(ValueError, match='k must be'):
        ScaleAwarePrecisionRecall(fake_nums=4, k=0, vgg16_script=weights['vgg16.pt'])


def test_fakes_follow_the_training_colour_order():
    """Reals come BGR from mmagic's preprocessor in test mode; RGB-trained fakes are flipped."""
    metric = MultiLevelSWD(fake_nums=2)
    fake = torch.stack([torch.full((4, 4), 255.), torch.zeros(4, 4), torch.zeros(4, 4)])
    metric.fake_channel_order = 'RGB'
    assert metric.fake_images([dict(fake_img=fake)])[0, :, 0, 0].tolist() == [0, 0, 255]
    metric.fake_channel_order = 'BGR'
    assert metric.fake_images([dict(fake_img=fake)])[0, :, 0, 0].tolist() == [255, 0, 0]


def test_real_resize_is_antialiased_area_and_never_upscales():
    import cv2
    img = torch.rand(1, 3, 80, 80) * 255
    out = resize_real(img, (32, 32))
    ref = cv2.resize(img[0].permute(1, 2, 0).numpy(), (32, 32), interpolation=cv2.INTER_AREA)
    assert torch.allclose(out[0].permute(1, 2, 0), torch.from_numpy(ref))
    # a checkerboard averages out (area), it does not alias as nearest/bilinear would
    board = (torch.arange(64)[:, None] + torch.arange(64)[None]) % 2 * 255.
    assert torch.allclose(resize_real(board.expand(1, 3, 64, 64), (32, 32)),
                          torch.full((1, 3, 32, 32), 127.5))
    with pytest.raises(ValueError, match='smaller than the evaluation scale'):
        resize_real(img, (96, 96))


def test_reading_real_images_leaves_the_sampling_rng_alone():
    """DataLoader iteration draws seeds from the global RNG; the real-statistics
    pass must not shift the noise of the samples that follow (cache or not)."""
    from mmposgan.evaluation.metrics.scale import preserve_rng
    torch.manual_seed(0)
    expected = torch.randn(3)
    torch.manual_seed(0)
    with preserve_rng():
        list(torch.utils.data.DataLoader(list(range(4)), shuffle=True))
    assert torch.equal(torch.randn(3), expected)


def test_precision_and_recall_values(weights):
    """Fakes covering one of two clusters of reals: precision 1, recall 1/2."""
    metric = ScaleAwarePrecisionRecall(fake_nums=8, real_nums=8, k=1, scale=32,
                                       vgg16_script=weights['vgg16.pt'])
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(4, 16, generator=gen) * 0.01
    b = torch.randn(4, 16, generator=gen) * 0.01 + 10
    metric.results_real = torch.cat([a, b])
    fakes = torch.cat([a, a + 0.001])
    result = metric.compute_metrics(list(torch.split(fakes, 1)))
    assert result == dict(precision=1.0, recall=0.5)
    metric.results_real = fakes
    assert metric.compute_metrics(list(torch.split(fakes, 1))) == dict(precision=1.0, recall=1.0)
