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
# the paper's FFHQ settings (Tab. 2, 5 and its 896/1024 px figures); the any-size configs
# (aspect, wide, panorama, photos) choose their own probabilities over more scales
PAPER = sorted(p for p in glob.glob(osp.join(FOLDER, 'mspie-stylegan2_*_ffhq-256-*.py'))
               if p.endswith(('-512.py', '-896.py', '-1024.py')))
OTHERS = sorted(set(glob.glob(osp.join(FOLDER, 'mspie-stylegan2_*.py'))) - set(PAPER))


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


def test_the_paper_settings_are_all_found():
    assert len(PAPER) == 11


@pytest.mark.parametrize('path', OTHERS, ids=osp.basename)
def test_other_configs_draw_the_smallest_scale_at_least_as_often(path):
    probs = Config.fromfile(path).train_dataloader.batch_sampler.probs
    assert probs is not None and sum(probs) == pytest.approx(1)
    assert probs[0] == max(probs)
