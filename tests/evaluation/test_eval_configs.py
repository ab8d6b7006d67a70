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
