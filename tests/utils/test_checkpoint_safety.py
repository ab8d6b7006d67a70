"""Checkpoints load with weights_only=True and an explicit allow list, nothing more."""
import os

import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub

from mmposgan.utils import safe_torch_load
from mmposgan.utils.safe_load import CheckpointFileError


def test_mmengine_message_hub_round_trips(tmp_path):
    hub = MessageHub.get_instance('safety_test')
    hub.update_scalar('train/loss', 1.5)
    hub.update_info('iter', 3)
    path = tmp_path / 'ckpt.pth'
    torch.save(dict(state_dict={'w': torch.ones(2)}, message_hub=hub.state_dict()), path)
    loaded = safe_torch_load(str(path))
    buf = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(buf, HistoryBuffer) and buf.current() == 1.5
    assert buf.statistics('mean') == 1.5


class _Exploit:
    def __reduce__(self):
        return (os.system, ('echo pwned',))


class _GetattrExploit:
    """``getattr(HistoryBuffer, '__init__')``: the first step of an attribute walk."""

    def __reduce__(self):
        return (getattr, (HistoryBuffer, '__init__'))


@pytest.mark.parametrize('payload', [_Exploit(), _GetattrExploit()])
def test_foreign_objects_are_refused(tmp_path, payload):
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {}, 'x': payload}, path)
    with pytest.raises(CheckpointFileError, match=f'^{path}: refused to load an object outside '
                       "mmposgan's allow list"):
        safe_torch_load(str(path))
