"""The StyleGAN2 configs evaluate FID and precision/recall at every training scale (Tab. 5)."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from mmposgan.registry import METRICS

from ..conftest import REPO
from .test_scale_metrics import StandInFeatureNet

CONFIGS = sorted(c for folder in ('ms_pie_stylegan2', 'stylegan2_padding')
                 for c in glob.glob(osp.join(REPO, 'configs', folder, '*.py'))
                 if '_tiny_' not in c)


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_every_training_scale_is_evaluated(path, tmp_path, monkeypatch):
    """Metrics built with stand-in feature networks (not Karras's files)."""
    for name in ('inception-2015-12-05.pt', 'vgg16.pt'):
        torch.jit.script(StandInFeatureNet()).save(str(tmp_path / name))
    monkeypatch.setenv('MMPOSGAN_METRIC_WEIGHTS', str(tmp_path))
    cfg = Config.fromfile(path)
    scales = cfg.train_dataloader.batch_sampler.scales
    assert scales[0] >= 256 and len(scales) in (1, 3)
    metrics = [METRICS.build(m) for m in cfg.test_evaluator.metrics]
    for kind, name in (('ScaleAwareFID', 'FID50k'), ('ScaleAwarePrecisionRecall', 'PR10k')):
        chosen = [m for m in metrics if type(m).__name__ == kind]
        assert [m.scale for m in chosen] == [(s, s) for s in scales]
        assert [m.prefix for m in chosen] == [f'{name}@{s}' for s in scales]
        assert all(m.sample_model == 'ema' and m.sample_kwargs == {'size': m.scale[0]}
                   for m in chosen)
    assert {m.fake_nums for m in metrics} == {50000, 10000}
    assert cfg.test_dataloader.dataset.data_root == cfg.train_dataloader.dataset.dataset.data_root
    assert cfg.test_dataloader.dataset.pipeline[0].channel_order == 'rgb'  # as in training


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_validation_selects_the_best_snapshot_at_every_training_scale(path, tmp_path,
                                                                      monkeypatch):
    """Tab. 2 / Tab. 5: FID50k and P&R10k at every training scale during training; the best
    checkpoint by the largest scale's FID before 10M and 20M images."""
    from mmposgan.engine.loops import expand_over_scales
    for name in ('inception-2015-12-05.pt', 'vgg16.pt'):
        torch.jit.script(StandInFeatureNet()).save(str(tmp_path / name))
    monkeypatch.setenv('MMPOSGAN_METRIC_WEIGHTS', str(tmp_path))
    cfg = Config.fromfile(path)
    scales = sorted(cfg.train_dataloader.batch_sampler.scales)
    assert cfg.val_cfg.type == 'MultiScaleValLoop' and cfg.train_cfg.val_interval == 10000
    assert cfg.val_dataloader.dataset.data_root == cfg.train_dataloader.dataset.dataset.data_root
    metrics = [METRICS.build(m) for m in expand_over_scales(cfg.val_evaluator, scales)['metrics']]
    assert [m.prefix for m in metrics] == ([f'FID50k@{s}' for s in scales]
                                           + [f'PR10k@{s}' for s in scales])
    assert all(m.sample_kwargs == {'size': m.scale[0]} and m.sample_model == 'ema'
               for m in metrics)
    hooks = [h for h in cfg.custom_hooks if h.type == 'BestSnapshotHook']
    assert len(hooks) == 1 and hooks[0].budgets == [10_000_000, 20_000_000]
    assert hooks[0].metric is None and hooks[0].rule == 'less'  # the largest scale's FID
