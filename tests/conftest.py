import os.path as osp

import pytest
import torch
from mmengine.registry import init_default_scope

import mmposgan  # noqa: F401
import mmposgan.datasets  # noqa: F401
import mmposgan.engine  # noqa: F401
import mmposgan.models  # noqa: F401
import mmposgan.models.gans  # noqa: F401

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
BALLOONS = osp.join(REPO, 'resources', 'balloons.png')


@pytest.fixture(autouse=True)
def _scope_and_threads():
    init_default_scope('mmposgan')
    torch.set_num_threads(2)
    yield
