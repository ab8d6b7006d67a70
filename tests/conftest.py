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


def pytest_configure(config):
    config.addinivalue_line('markers', 'cuda: needs a CUDA GPU (skipped without one)')


def pytest_collection_modifyitems(config, items):
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason='needs a CUDA GPU')
    for item in items:
        if item.get_closest_marker('cuda'):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _scope_and_threads():
    init_default_scope('mmposgan')
    torch.set_num_threads(2)
    yield
