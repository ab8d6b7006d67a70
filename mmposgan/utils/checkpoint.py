"""Checkpoint loading that works with torch >= 2.6 and stays safe.

torch >= 2.6 loads with ``weights_only=True`` by default.  mmengine calls
``torch.load`` without arguments, so resuming its own checkpoints fails on
``mmengine.logging.history_buffer.HistoryBuffer`` and numpy objects kept in
the message hub.  Instead of turning the safety off, mmposgan re-registers
mmengine's local-file loader to load with ``weights_only=True`` and an
explicit allow list of the globals an mmengine training checkpoint holds
(:data:`SAFE_GLOBALS`).  Anything else in a file is refused with a message
naming the global.

Checkpoints named by an ``http(s)://`` URL (``load_from``, ``--resume``,
:func:`mmposgan.apis.init_model`, ``tools/test.py``) go through
:func:`load_from_url`, which replaces mmengine's URL loader (that one hands
downloads to ``torch.load`` without an allow list): the file is downloaded and
verified once into the cache (:mod:`mmposgan.utils.download`), loaded the same
safe way, and converted from the released mmagic/MMGeneration layout when it
is one of those.
"""
import importlib
import os.path as osp
import pickle
import re
from collections import OrderedDict

import numpy as np
import torch
from mmengine.dist import barrier, get_dist_info
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint_to_model

from .state_dict_check import load_state_dict_strictly
from .wrappers import unwrapped_module


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


def load_from_local(filename, map_location=None):
    """mmengine local-file loader: :func:`safe_torch_load`, then :func:`converted_if_released`.

    A released PE-SinGAN ``x.pth`` finds its fixed-noise side file as ``x.pkl``
    beside it.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint not found: {filename}')
    side = osp.splitext(filename)[0] + '.pkl'
    return converted_if_released(safe_torch_load(filename, map_location=map_location),
                                 lambda: side if osp.isfile(side) else None)


def converted_if_released(checkpoint, side_file=lambda: None):
    """``checkpoint`` in mmposgan's layout if it is a released mmagic/MMGeneration one.

    Anything else (mmposgan's own checkpoints, other models' files) is
    returned unchanged, for the loader's caller to judge.

    Args:
        checkpoint (dict): As loaded.
        side_file (callable): Returns the path of the fixed-noise side file
            (or None); called only for a released PE-SinGAN checkpoint.
    """
    from mmposgan.converters.mmagic import convert_mmagic_checkpoint, detect_layout
    try:
        layout = detect_layout(checkpoint)
    except ValueError:
        return checkpoint
    if layout == 'mmposgan':
        return checkpoint
    side = side_file() if layout == 'mmagic-singan' else None
    return convert_mmagic_checkpoint(checkpoint, singan_side_file=side)


def load_from_url(url, map_location=None):
    """mmengine ``http://`` / ``https://`` loader scheme: download, verify, load safely, convert.

    In distributed runs rank 0 downloads first; the other ranks then find the
    verified file in the cache.  A released mmagic checkpoint is converted
    (:func:`converted_if_released`); a released PE-SinGAN one also fetches its
    fixed-noise side file (:func:`~mmposgan.utils.download.download_side_file`).
    """
    from .download import download_checkpoint, download_side_file
    rank, world_size = get_dist_info()
    path, error = None, None
    if rank == 0:
        try:
            path = download_checkpoint(url)
        except Exception as err:  # re-raised after the barrier so no rank waits forever
            error = err
    if world_size > 1:
        barrier()
    if error is not None:
        raise error
    if path is None:
        path = download_checkpoint(url)
    return converted_if_released(safe_torch_load(path, map_location=map_location),
                                 lambda: download_side_file(url))


def register_checkpoint_loaders():
    """Make mmengine (Runner ``load_from`` / ``resume``, ``load_checkpoint``) load safely.

    Local files go through :func:`load_from_local`, URLs through
    :func:`load_from_url`; both replace mmengine's loaders for those schemes.
    """
    CheckpointLoader.register_scheme(prefixes='', loader=load_from_local, force=True)
    CheckpointLoader.register_scheme(prefixes=('http://', 'https://'), loader=load_from_url,
                                     force=True)


def strip_inner_wrapper_keys(state_dict: dict, model) -> dict:
    """Drop the ``.module`` that a DDP wrapper around a child of ``model`` put in keys.

    Only children for which the unwrapped ``model`` has no submodule named
    ``module`` are touched, so an EMA copy (``generator_ema.module.*``, a real
    submodule) keeps its keys.

    Args:
        state_dict (dict): Keys as saved, e.g. ``generator.module.conv1.bias``.
        model (nn.Module): The (possibly wrapped) model the keys are for.

    Returns:
        dict: The same mapping with ``<child>.module.`` -> ``<child>.``.
    """
    model = unwrapped_module(model)
    children = dict(model.named_children())
    wrapped = {name for name, child in children.items()
               if not hasattr(unwrapped_module(child), 'module') or is_model_wrapper(child)}
    if not wrapped:
        return state_dict
    pattern = re.compile(r'^(' + '|'.join(map(re.escape, sorted(wrapped))) + r')\.module\.')
    out = type(state_dict)((pattern.sub(r'\1.', k), v) for k, v in state_dict.items())
    if hasattr(state_dict, '_metadata'):
        out._metadata = state_dict._metadata
    return out


def state_dict_of(checkpoint: dict, model) -> dict:
    """The weights of a loaded checkpoint with keys as ``model`` names them.

    mmengine's ``revise_keys`` default (a leading ``module.`` removed) and
    :func:`strip_inner_wrapper_keys` (``generator.module.*`` of DDP wrappers
    inside a GAN).
    """
    state_dict = checkpoint.get('state_dict', checkpoint)
    metadata = getattr(state_dict, '_metadata', OrderedDict())
    state_dict = OrderedDict((re.sub(r'^module\.', '', k), v) for k, v in state_dict.items())
    state_dict._metadata = metadata
    return strip_inner_wrapper_keys(state_dict, model)


def load_checkpoint(model, filename, map_location='cpu', strict=True, logger='current',
                    check=None):
    """Load a checkpoint file or URL into ``model`` with the safe loaders.

    Like mmengine's ``load_checkpoint``, and also reads files whose keys carry
    the ``.module`` of DDP wrappers around the generator/discriminator
    (:func:`strip_inner_wrapper_keys`).

    Args:
        model (nn.Module): Where the weights go.
        filename (str): Path or URL.
        map_location (str): As for ``torch.load``.
        strict (bool): Raise :class:`CheckpointMismatchError` (one line)
            when a key is missing, unexpected or of another shape, or when
            ``check`` objects; ``False`` loads what fits and logs the rest
            (mmengine's behaviour).
        logger: mmengine logger for the non-strict messages.
        check (callable | None): ``check(checkpoint, filename)``, called
            before loading when ``strict``; raises if the checkpoint does not
            fit (e.g. a converted release's recorded architecture).

    Returns:
        dict: The loaded checkpoint.
    """
    register_checkpoint_loaders()
    checkpoint = CheckpointLoader.load_checkpoint(filename, map_location, logger=logger)
    if not isinstance(checkpoint, dict):
        raise CheckpointFileError(f'{filename} holds a {type(checkpoint).__name__}, not a '
                                  'checkpoint dict')
    if not strict:
        if 'state_dict' in checkpoint:
            checkpoint['state_dict'] = strip_inner_wrapper_keys(checkpoint['state_dict'], model)
        return _load_checkpoint_to_model(model, checkpoint, strict=False, logger=logger)
    if check is not None:
        check(checkpoint, filename)
    load_state_dict_strictly(unwrapped_module(model), state_dict_of(checkpoint, model), filename)
    return checkpoint
