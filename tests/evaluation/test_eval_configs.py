"""The StyleGAN2 configs evaluate FID and precision/recall at every training scale (Tab. 5)."""
import glob
import os.path as osp

import pytest
import torch
import torchvision
from mmengine.config import Config

from mmposgan.registry import METRICS
from mmposgan.utils.size import to_size
from ..conftest import REPO
from .test_scale_metrics import StandInFeatureNet

# the tiny test config and the CPU experiment's small one are not evaluated by tools/test.py
CONFIGS = sorted(c for folder in ('ms_pie_stylegan2', 'stylegan2_padding')
                 for c in glob.glob(osp.join(REPO, 'configs', folder, '*.py'))
                 if '_tiny_' not in c and '_small_' not in c)


def in_kind(scale):
    h, w = to_size(scale)
    return h if h == w else (h, w)


def text(scale):
    return str(scale) if isinstance(scale, int) else f'{scale[0]}x{scale[1]}'


def stand_in_weights(tmp_path, monkeypatch):
    """Stand-in feature networks and LPIPS backbone (not Karras's / ImageNet's files)."""
    for name in ('inception-2015-12-05.pt', 'vgg16.pt'):
        torch.jit.script(StandInFeatureNet()).save(str(tmp_path / name))
    features = torchvision.models.alexnet().features.state_dict()
    torch.save({f'features.{k}': v for k, v in features.items()},
               str(tmp_path / 'alexnet-owt-7be5be79.pth'))
    monkeypatch.setenv('MMPOSGAN_METRIC_WEIGHTS', str(tmp_path))


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_every_training_scale_is_evaluated(path, tmp_path, monkeypatch):
    """Metrics built with stand-in feature networks (not Karras's files)."""
    from mmposgan.engine.loops import expand_over_scales
    stand_in_weights(tmp_path, monkeypatch)
    cfg = Config.fromfile(path)
    scales = [in_kind(s) for s in cfg.train_dataloader.batch_sampler.scales]
    assert min(to_size(s)[0] for s in scales) >= 256
    evaluator = cfg.test_evaluator
    if cfg.test_cfg.type == 'MultiScaleTestLoop':  # any size: the loop repeats them per scale
        assert [in_kind(s) for s in cfg.test_cfg.scales] == scales
        evaluator = expand_over_scales(evaluator, cfg.test_cfg.scales)
    else:
        assert len(scales) in (1, 3)
    metrics = [METRICS.build(m) for m in evaluator['metrics']]
    for kind, name in (('ScaleAwareFID', 'FID50k'), ('ScaleAwarePrecisionRecall', 'PR10k')):
        chosen = [m for m in metrics if type(m).__name__ == kind]
        assert [m.scale for m in chosen] == [to_size(s) for s in scales]
        assert [m.prefix for m in chosen] == [f'{name}@{text(s)}' for s in scales]
        assert all(m.sample_model == 'ema' and m.sample_kwargs == {'size': in_kind(m.scale)}
                   for m in chosen)
    consistency = [m for m in metrics if type(m).__name__ == 'ScaleConsistency']
    if consistency:  # every pair of training sizes, from the same latents
        assert consistency[0].measure.sizes == sorted({to_size(s) for s in scales},
                                                      key=lambda s: (s[0] * s[1], s))
    assert {m.fake_nums for m in metrics} - {1000 if consistency else None} == {50000, 10000}
    assert cfg.test_dataloader.dataset.data_root == cfg.train_dataloader.dataset.dataset.data_root
    # read as in training (the one RGB reader: mmposgan.datasets.image_io)
    assert cfg.test_dataloader.dataset.pipeline[0] == \
        cfg.train_dataloader.dataset.dataset.pipeline[0] == dict(type='LoadRGBImage', key='gt')


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_validation_selects_the_best_snapshot_at_every_training_scale(path, tmp_path,
                                                                      monkeypatch):
    """Tab. 2 / Tab. 5: FID50k and P&R10k at every training scale during training; the best
    checkpoint by the largest scale's FID before 10M and 20M images."""
    from mmposgan.engine.loops import expand_over_scales
    stand_in_weights(tmp_path, monkeypatch)
    cfg = Config.fromfile(path)
    scales = sorted((in_kind(s) for s in cfg.train_dataloader.batch_sampler.scales),
                    key=lambda s: (to_size(s)[0] * to_size(s)[1], to_size(s)))
    assert cfg.val_cfg.type == 'MultiScaleValLoop' and cfg.train_cfg.val_interval == 10000
    assert cfg.val_dataloader.dataset.data_root == cfg.train_dataloader.dataset.dataset.data_root
    metrics = [METRICS.build(m) for m in expand_over_scales(cfg.val_evaluator, scales)['metrics']]
    assert [m.prefix for m in metrics] == ([f'FID50k@{text(s)}' for s in scales]
                                           + [f'PR10k@{text(s)}' for s in scales])
    assert all(m.sample_kwargs == {'size': in_kind(m.scale)} and m.sample_model == 'ema'
               for m in metrics)
    hooks = [h for h in cfg.custom_hooks if h.type == 'BestSnapshotHook']
    assert len(hooks) == 1 and hooks[0].budgets == [10_000_000, 20_000_000]
    assert hooks[0].metric is None and hooks[0].rule == 'less'  # the largest scale's FID
