"""``torch.load`` that works with torch >= 2.6 and stays safe.

torch >= 2.6 loads with ``weights_only=True`` by default.  mmengine calls
``torch.load`` without arguments, so resuming its own checkpoints fails on
``mmengine.logging.history_buffer.HistoryBuffer`` and numpy objects kept in
the message hub.  Instead of turning the safety off, mmposgan loads with
``weights_only=True`` and an explicit allow list of the globals an mmengine
training checkpoint holds (:data:`SAFE_GLOBALS`).  Anything else in a file is
refused with a message naming the global.

mmengine's checkpoint loaders are replaced by ones that use
:func:`safe_torch_load` (:mod:`mmposgan.mmengine_patches`, loaders in
:mod:`mmposgan.converters.loading`).
"""
import importlib
import pickle
from collections import OrderedDict

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer


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


class CheckpointFileError(ValueError):
    """A file that cannot be loaded as a checkpoint (corrupt, or refused by the allow list)."""


#: Phrases of torch's weights-only unpickler when a file names a global (or
#: calls a function) outside the allow list; any other failure means the
#: bytes are not a checkpoint at all.
_REFUSAL_PHRASES = ('unsupported global', 'not an allowed global', 'unsupported class',
                    'trying to call reduce', 'can only create new object', 'can only build',
                    'is blocked', 'refused getattr')


def safe_torch_load(filename, map_location=None):
    """``torch.load(weights_only=True)`` with :data:`SAFE_GLOBALS` allowed.

    Raises:
        FileNotFoundError: No such file.
        CheckpointFileError: (a ``ValueError``) The file references a global
            outside the allow list (the message names the file and torch's
            explanation), or it is empty, truncated, an HTML page or other
            bytes that are no checkpoint: ``FILE: not a loadable checkpoint
            (truncated or corrupt?)``.
    """
    try:
        with torch.serialization.safe_globals(SAFE_GLOBALS):
            return torch.load(filename, map_location=map_location, weights_only=True)
    except FileNotFoundError:
        raise
    except Exception as err:  # torch raises UnpicklingError / RuntimeError / EOFError / ...
        text = str(err)
        if any(phrase in text.lower() for phrase in _REFUSAL_PHRASES):
            detail = next((line.strip() for line in text.splitlines()
                           if any(p in line.lower() for p in _REFUSAL_PHRASES)), text)
            raise CheckpointFileError(f'{filename}: refused to load an object outside '
                                      f'mmposgan\'s allow list of checkpoint globals ({detail})') \
                from None
        raise CheckpointFileError(
            f'{filename}: not a loadable checkpoint (truncated or corrupt?)') from err
