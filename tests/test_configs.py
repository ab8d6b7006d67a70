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
    assert len(CONFIGS) >= 8


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.basename(p))
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
