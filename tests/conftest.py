import os.path as osp
import subprocess

import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

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


def _refuse(what):
    def refuse(*args, **kwargs):
        raise pytest.fail.Exception(f'this test {what} but is not marked @pytest.mark.slow '
                                    '(pytest.ini: Runner and subprocess tests are slow)')
    return refuse


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """Tests (and their fixtures) that train/test with a Runner or start a
    subprocess must carry the ``slow`` marker, so ``-m "not slow"`` is fast.

    Fixtures of any scope set up now run with 2 threads whatever an earlier
    test left (results compared bit for bit, e.g. resumed against
    uninterrupted training, depend on the thread count)."""
    torch.set_num_threads(2)
    with _RefuseUnlessSlow(item):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    with _RefuseUnlessSlow(item):
        yield


class _RefuseUnlessSlow:
    GUARDED = [(Runner, 'train', 'trains with a Runner'), (Runner, 'test', 'tests with a Runner'),
               (subprocess, 'run', 'runs a subprocess'),
               (subprocess, 'Popen', 'starts a subprocess')]

    def __init__(self, item):
        self.active = item.get_closest_marker('slow') is None
        self.saved = []

    def __enter__(self):
        if self.active:
            for owner, name, what in self.GUARDED:
                self.saved.append((owner, name, getattr(owner, name)))
                setattr(owner, name, _refuse(what))

    def __exit__(self, *exc):
        for owner, name, value in reversed(self.saved):
            setattr(owner, name, value)
        self.saved = []
