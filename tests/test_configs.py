"""Every shipped config builds its model and dataset."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from mmposgan.registry import DATASETS, MODELS
from .conftest import REPO

CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', '*', '*.py')))
CONFIGS = [c for c in CONFIGS if '_base_' not in c]


def test_configs_exist():
    assert len(CONFIGS) >= 25


SINGAN = [c for c in CONFIGS if '/pe_singan/' in c]
MS_PIE = [c for c in CONFIGS if '/ms_pie_stylegan2/' in c or '/stylegan2_padding/' in c]


@pytest.mark.parametrize('path', MS_PIE, ids=lambda p: osp.basename(p))
def test_stylegan2_config_builds_and_makes_its_scales(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmposgan'
    model = MODELS.build(cfg.model)
    sampler = cfg.train_dataloader.batch_sampler
    assert sampler.type == 'MultiScaleBatchSampler'
    for scale in sampler.scales:
        model.generator.scale_offset(scale)  # raises if the head cannot produce it
    assert any(h.type == 'ScaleScheduleHook' for h in cfg.custom_hooks)


@pytest.mark.parametrize('path', SINGAN, ids=lambda p: osp.basename(p))
def test_config_builds_and_pyramid_matches(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmposgan'
    model = MODELS.build(cfg.model)
    dataset_cfg = cfg.train_dataloader.dataset.copy()
    dataset_cfg.data_root = osp.join(REPO, dataset_cfg.data_root)
    dataset = DATASETS.build(dataset_cfg)
    # the configured number of stages is the one the image gives
    assert dataset.num_scales == model.num_scales == len(model.generator.blocks) - 1
    stage_len = model.iters_per_scale * model.discriminator_steps
    assert cfg.train_cfg.max_iters == (model.num_scales + 1) * stage_len
