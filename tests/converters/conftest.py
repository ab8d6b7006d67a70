import pytest
import torch


@pytest.fixture(autouse=True)
def _one_thread():
    """These tests run many small convolutions; one thread avoids the OpenMP
    hand-off cost that dominates them (several times slower with 2 threads on
    a busy 2-core machine)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
