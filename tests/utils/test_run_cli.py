"""Tools stop on a user error with one line: exception type, message and where it was raised."""
import inspect

import pytest
import torch
from torch.utils.data import DataLoader, Dataset

from mmposgan.utils.launch import describe_error, run_cli


def _raise_key_error():
    return {32: 'a'}[64]


class _BadItems(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, idx):
        if idx == 2:
            raise ValueError(f'data/{idx}.png: not a readable image\n(second line)')
        return torch.zeros(1)


def test_key_error_names_type_and_place(capsys):
    with pytest.raises(SystemExit) as info:
        run_cli(_raise_key_error)
    line = str(info.value)
    assert line.startswith('error: KeyError: 64 (') and '\n' not in line
    raised_at = inspect.getsourcelines(_raise_key_error)[1] + 1
    assert f'test_run_cli.py:{raised_at} in _raise_key_error)' in line  # 0.1 printed 'error: 64'


def test_worker_error_is_one_line_with_the_workers_frame():
    """A DataLoader with worker processes, as the configs use: torch re-raises the worker's
    exception with its whole traceback as the message."""
    loader = DataLoader(_BadItems(), batch_size=1, num_workers=2)
    with pytest.raises(ValueError) as info:
        list(loader)
    assert str(info.value).startswith('Caught ValueError in DataLoader worker process')
    line = describe_error(info.value)
    assert '\n' not in line
    assert line.startswith('ValueError: data/2.png: not a readable image (second line) (')
    assert 'test_run_cli.py:' in line and 'in __getitem__, in DataLoader worker process' in line


def test_other_exceptions_keep_their_traceback():
    def bug():
        raise IndexError('a bug, not a user error')
    with pytest.raises(IndexError):
        run_cli(bug)
