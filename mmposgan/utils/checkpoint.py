"""Checkpoint loading that works with torch >= 2.6 and stays safe.

torch >= 2.6 loads with ``weights_only=True`` by default.  mmengine calls
``torch.load`` without arguments, so resuming its own checkpoints fails on
``mmengine.logging.history_buffer.HistoryBuffer`` and numpy objects kept in
the message hub.  Instead of turning the safety off, mmposgan re-registers
mmengine's local-file loader to load with ``weights_only=True`` and an
explicit allow list of the globals an mmengine training checkpoint holds
(:data:`SAFE_GLOBALS`).  Anything else in a file is refused with a message
naming the global.
"""
import importlib
import pickle
import os.path as osp
from collections import OrderedDict

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader
from mmengine.runner.checkpoint import load_checkpoint as _mmengine_load_checkpoint


def _numpy_globals():
    try:  # numpy >= 2
        multiarray = importlib.import_module('numpy._core.multiarray')
    except ImportError:  # numpy 1.x
        multiarray = importlib.import_module('numpy.core.multiarray')
    names = [multiarray._reconstruct, multiarray.scalar, np.ndarray, np.dtype]
    for dtype in (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64,
                  np.uint8, np.bool_):
        names.append(type(np.dtype(dtype)))
    return names


def history_buffer_getattr(obj, name):
    """Stand-in for ``builtins.getattr`` while unpickling.

    mmengine pickles each ``HistoryBuffer``'s statistics methods as
    ``getattr(HistoryBuffer, 'min')`` etc.  Allowing the real ``getattr``
    would let a file reach any attribute of any allowed object (and from
    there arbitrary code), so only these lookups are answered.
    """
    allowed = {'min', 'max', 'current', 'mean'} | set(HistoryBuffer._statistics_methods)
    if obj is HistoryBuffer and name in allowed:
        return getattr(HistoryBuffer, name)
    raise pickle.UnpicklingError(f'refused getattr({obj!r}, {name!r}) in a checkpoint')


#: Globals an mmengine/mmposgan checkpoint may reference besides tensors.
SAFE_GLOBALS = [HistoryBuffer, OrderedDict, (history_buffer_getattr, 'builtins.getattr'),
                (history_buffer_getattr, '__builtin__.getattr')] + _numpy_globals()


def safe_torch_load(filename, map_location=None):
    """``torch.load(weights_only=True)`` with :data:`SAFE_GLOBALS` allowed.

    Raises:
        RuntimeError: The file references a global outside the allow list;
            the message names the file and torch's explanation.
    """
    try:
        with torch.serialization.safe_globals(SAFE_GLOBALS):
            return torch.load(filename, map_location=map_location, weights_only=True)
    except Exception as err:  # torch raises UnpicklingError / RuntimeError
        if 'weights_only' in str(err) or 'Unsupported global' in str(err):
            raise RuntimeError(f'{filename}: refused to load an object outside mmposgan\'s '
                               f'allow list of checkpoint globals ({err})') from None
        raise


def load_from_local(filename, map_location=None):
    """mmengine local-file loader scheme, loading with :func:`safe_torch_load`."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint not found: {filename}')
    return safe_torch_load(filename, map_location=map_location)


def register_checkpoint_loaders():
    """Make mmengine's Runner (``--resume``, ``load_from``) use the safe loader."""
    CheckpointLoader.register_scheme(prefixes='', loader=load_from_local, force=True)


def load_checkpoint(model, filename, map_location='cpu', strict=True, logger='current'):
    """Load a checkpoint file into ``model`` (mmengine's, with the safe loader)."""
    register_checkpoint_loaders()
    return _mmengine_load_checkpoint(model, filename, map_location=map_location, strict=strict,
                                     logger=logger)
