"""The evaluation protocol of Tab. 2 / Tab. 5 and App. B.1 on a tiny MS-PIE model (CPU).

* validation at every training scale every N iterations (``MultiScaleValLoop``) and
  the best checkpoint by the largest scale's FID within image budgets
  (``BestSnapshotHook``);
* FID of a larger generator's images downsampled to the scale (``resize_fakes``,
  Tab. 5 (b));
* each metric computed three times on independent samples, mean and spread
  (``RepeatedGenerativeMetric``, App. B.1).

Feature networks are the stand-ins of ``test_scale_metrics`` (not Karras's files):
these tests check the protocol, not the values of real FIDs.
"""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.runner import Runner

from mmposgan.engine import BestSnapshotHook, MultiScaleValLoop
from mmposgan.evaluation.metrics import MultiLevelSWD, RepeatedGenerativeMetric, ScaleAwareFID
from .test_scale_metrics import eval_cfg, run_test, weights  # noqa: F401  (fixture)


def test_resize_fakes_downsamples_the_generators_own_images(weights):  # noqa: F811
    metric = ScaleAwareFID(fake_nums=2, scale=32, resize_fakes=True,
                           inception_path=weights['inception-2015-12-05.pt'])
    # the generator samples at its own size: no size keyword, a sampler of its own
    assert metric.sample_kwargs == {} and metric.SAMPLER_MODE == 'Generative@base'
    fakes = torch.rand(2, 3, 64, 64) * 255
    out = metric.fake_images([dict(fake_img=f) for f in fakes])
    assert out.shape == (2, 3, 32, 32)
    ref = cv2.resize(fakes[0].permute(1, 2, 0).numpy(), (32, 32), interpolation=cv2.INTER_AREA)
    assert torch.allclose(out[0].permute(1, 2, 0), torch.from_numpy(ref))  # antialiased (area)
    with pytest.raises(ValueError, match='smaller than the evaluation scale'):
        metric.fake_images([dict(fake_img=torch.zeros(3, 16, 16))])
    # without the option a size mismatch stays an error
    strict = ScaleAwareFID(fake_nums=2, scale=32, inception_path=weights['inception-2015-12-05.pt'])
    assert strict.sample_kwargs == {'size': 32}
    with pytest.raises(ValueError, match='resize_fakes=True downsamples'):
        strict.fake_images([dict(fake_img=f) for f in fakes])
    with pytest.raises(ValueError, match='resize_fakes=True needs scale'):
        MultiLevelSWD(fake_nums=2, resize_fakes=True)


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_repeated_metric_uses_disjoint_samples_and_reports_mean_and_spread(tmp_path, weights):  # noqa: F811,E501
    cfg = eval_cfg(tmp_path, weights, scales=())
    swd = dict(type='MultiLevelSWD', fake_nums=4, scale=32, seed=5)
    cfg.test_evaluator.metrics = [
        dict(type='RepeatedGenerativeMetric', metric=swd, repeats=3),
        # Tab. 5 (b): FID at 32 of the 64 px images, downsampled
        dict(type='ScaleAwareFID', prefix='FID@64to32', fake_nums=4, real_nums=4, scale=32,
             resize_fakes=True, sample_kwargs=dict(size=64),
             inception_path=weights['inception-2015-12-05.pt'], cache_dir=str(tmp_path / 'c')),
    ]
    runner = Runner.from_cfg(cfg)
    repeated, fid = runner.test_loop.evaluators[0].metrics
    assert isinstance(repeated, RepeatedGenerativeMetric) and repeated.fake_nums == 12
    assert [c.seed for c in repeated.copies] == [5, 6, 7]
    received = [[] for _ in repeated.copies]
    for k, copy in enumerate(repeated.copies):
        orig = copy.process

        def spy(batch, samples, _orig=orig, _k=k):
            received[_k].extend(s['ema']['fake_img'] if 'ema' in s else s['fake_img']
                                for s in samples)
            return _orig(batch, samples)
        copy.process = spy
    seen = []
    orig_fid = fid.forward_inception
    fid.forward_inception = lambda images: seen.append(tuple(images.shape[-2:])) or orig_fid(
        images)

    results = run_test(runner)
    # each repeat got its own 4 fakes, none shared
    assert [len(r) for r in received] == [4, 4, 4]
    flat = [x for r in received for x in r]
    assert all(not torch.equal(a, b) for i, a in enumerate(flat) for b in flat[i + 1:])
    runs = [results[f'SWD@32/avg_run{k}'] for k in range(3)]
    assert len(set(runs)) == 3
    assert results['SWD@32/avg'] == pytest.approx(np.mean(runs))
    assert results['SWD@32/avg_std'] == pytest.approx(np.std(runs, ddof=1))
    for level in ('32', '16'):
        assert f'SWD@32/{level}_std' in results
    # the resized FID saw 32 px reals and fakes only (the fakes sampled at 64)
    assert 'FID@64to32/fid' in results and set(seen) == {(32, 32)}


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_validation_at_every_scale_keeps_the_best_snapshot_per_budget(tmp_path, weights):  # noqa: F811,E501
    cfg = eval_cfg(tmp_path, weights, scales=())
    cfg.train_cfg.max_iters = 6
    cfg.train_cfg.val_interval = 2
    cfg.val_cfg = dict(type='MultiScaleValLoop')  # scales: the sampler's 32/48/64
    cfg.val_dataloader = cfg.test_dataloader
    cfg.val_evaluator = dict(type='Evaluator', metrics=[
        dict(type='ScaleAwareFID', prefix='FID4', fake_nums=4, real_nums=4,
             inception_path=weights['inception-2015-12-05.pt'], cache_dir=str(tmp_path / 'c'))])
    # batch 4: validations after 8, 16 and 24 images
    cfg.custom_hooks = [dict(type='BestSnapshotHook', budgets=[8, 24])]
    runner = Runner.from_cfg(cfg)
    runner.train()
    loop = runner.val_loop
    assert isinstance(loop, MultiScaleValLoop) and loop.scales == [32, 48, 64]
    assert [m.prefix for m in loop.evaluators[0].metrics] == ['FID4@32', 'FID4@48', 'FID4@64']
    hook = next(h for h in runner.hooks if isinstance(h, BestSnapshotHook))
    assert [(h['iter'], h['images']) for h in hook.history] == [(2, 8), (4, 16), (6, 24)]
    saved = json.load(open(osp.join(runner.work_dir, 'best_snapshots.json')))
    best8, best24 = saved['best']['8'], saved['best']['24']
    assert best8['metric'] == 'FID4@64/fid'  # the largest scale's FID
    assert best8['iter'] == 2  # the only snapshot within 8 images
    values = [h['value'] for h in hook.history]
    assert best24['iter'] == 2 * (1 + int(np.argmin(values)))
    assert best24['value'] == min(values)
    # every scale's result of that snapshot is recorded (P&R of the best-FID snapshot)
    assert {'FID4@32/fid', 'FID4@48/fid', 'FID4@64/fid'} <= set(best24['metrics'])
    for record in (best8, best24):
        ckpt = torch.load(osp.join(runner.work_dir, record['checkpoint']), map_location='cpu',
                          weights_only=False)
        assert ckpt['meta']['iter'] == record['iter'] and 'optimizer' not in ckpt


def test_best_snapshot_hook_rejects_bad_arguments_and_finds_the_largest_fid():
    from mmposgan.engine.hooks.best_snapshot_hook import largest_scale_fid
    with pytest.raises(ValueError, match='rule'):
        BestSnapshotHook(rule='lower')
    with pytest.raises(ValueError, match='budgets must be positive'):
        BestSnapshotHook(budgets=[0])
    assert largest_scale_fid({'FID50k@256/fid': 1, 'FID50k@512/fid': 2, 'PR@512/recall': 3,
                              'FID50k@384/fid': 0}) == 'FID50k@512/fid'
    with pytest.raises(ValueError, match='needs an FID'):
        largest_scale_fid({'PR@512/recall': 3})
    assert BestSnapshotHook.budget_name(10_000_000) == '10M'
    assert BestSnapshotHook.budget_name(2500) == '2.5k'


def test_expand_over_scales_keeps_scaled_metrics_and_reaches_wrapped_ones():
    from mmposgan.engine.loops import expand_over_scales
    evaluator = dict(type='Evaluator', metrics=[
        dict(type='ScaleAwareFID', prefix='FID50k', fake_nums=8),
        dict(type='ScaleAwarePrecisionRecall', fake_nums=8),  # default prefix PR@<scale>
        dict(type='MultiLevelSWD', fake_nums=8, scale=128),  # already scaled: kept once
        dict(type='RepeatedGenerativeMetric', repeats=3,
             metric=dict(type='ScaleAwareFID', prefix='FIDx3', fake_nums=8)),
    ])
    out = expand_over_scales(evaluator, [256, 512])['metrics']
    assert [(m.get('prefix'), m.get('scale')) for m in out[:5]] == [
        ('FID50k@256', 256), ('FID50k@512', 512), (None, 256), (None, 512), (None, 128)]
    assert [(m['metric']['prefix'], m['metric']['scale']) for m in out[5:]] == [
        ('FIDx3@256', 256), ('FIDx3@512', 512)]
    assert evaluator['metrics'][0].get('scale') is None  # the config is not modified
