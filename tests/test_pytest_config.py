"""The suite's own configuration: a ``slow`` marker that is enforced, and a global timeout."""
import subprocess

import pytest
from mmengine.runner import Runner

from .conftest import _RefuseUnlessSlow


def test_slow_marker_and_timeout_are_configured(request):
    markers = request.config.getini('markers')
    assert any(m.startswith('slow:') for m in markers)
    assert float(request.config.getini('timeout')) > 0


class _Item:
    def __init__(self, slow):
        self.slow = slow

    def get_closest_marker(self, name):
        return object() if self.slow and name == 'slow' else None


def test_unmarked_tests_cannot_train_or_start_processes():
    train, run = Runner.train, subprocess.run
    with _RefuseUnlessSlow(_Item(slow=False)):
        for call in (lambda: Runner.train(None), lambda: subprocess.run(['true'])):
            with pytest.raises(pytest.fail.Exception, match='not marked @pytest.mark.slow'):
                call()
    assert Runner.train is train and subprocess.run is run
    with _RefuseUnlessSlow(_Item(slow=True)):
        assert Runner.train is train and subprocess.run is run
