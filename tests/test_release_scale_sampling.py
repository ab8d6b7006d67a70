"""The MS-PIE release configs draw scales uniformly, as the released checkpoints were trained
(the authors' MMGeneration code ignored the probabilities); the paper configs draw 0.5/0.25/0.25."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from mmposgan.registry import DATA_SAMPLERS

from .conftest import REPO

FOLDER = osp.join(REPO, 'configs', 'ms_pie_stylegan2')
RELEASE = sorted(glob.glob(osp.join(FOLDER, '*-release_*.py')))
PAPER = sorted(p for p in glob.glob(osp.join(FOLDER, 'mspie-stylegan2_*.py')) if 'tiny' not in p)


@pytest.mark.parametrize('path', RELEASE, ids=osp.basename)
def test_release_configs_sample_scales_uniformly(path):
    cfg = Config.fromfile(path)
    sampler = cfg.train_dataloader.batch_sampler
    assert sampler.probs is None
    schedule = DATA_SAMPLERS.build(dict(sampler, sampler=list(range(8)), batch_size=3)).schedule
    assert schedule.probs == pytest.approx([1 / 3] * 3)


@pytest.mark.parametrize('path', PAPER, ids=osp.basename)
def test_paper_configs_sample_the_lower_scale_more_often(path):
    assert Config.fromfile(path).train_dataloader.batch_sampler.probs == [0.5, 0.25, 0.25]
