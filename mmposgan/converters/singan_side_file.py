"""Safe loading of the fixed-noise side files of the released PE-SinGAN checkpoints.

mmagic / MMGeneration keep what a SinGAN needs besides weights (the
reconstruction noise of every stage, the noise weights ``sigma_n`` and the
last trained stage) in a separate pickle, loaded with ``pickle.load`` in
``SinGAN.load_test_pkl``: ``dict(fixed_noises=[ndarray, ...],
noise_weights=[float, ...], curr_stage=int)``.  Unpickling runs whatever the
file names, so here a restricted unpickler admits only numpy arrays, numpy
scalars/dtypes and plain containers; a torch file (zip) is loaded with
``torch.load(weights_only=True)`` instead.
"""
import importlib
import io
import pickle
import zipfile
from collections import OrderedDict
from typing import Dict, List

import numpy as np
import torch
from torch import Tensor

#: (module, name) pairs a side-file pickle may reference.
_ALLOWED = {
    ('numpy.core.multiarray', '_reconstruct'), ('numpy._core.multiarray', '_reconstruct'),
    ('numpy.core.multiarray', 'scalar'), ('numpy._core.multiarray', 'scalar'),
    ('numpy.core.numeric', '_frombuffer'), ('numpy._core.numeric', '_frombuffer'),
    ('numpy', 'ndarray'), ('numpy', 'dtype'), ('collections', 'OrderedDict'),
}


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickler that resolves only numpy array/scalar globals and ``OrderedDict``."""

    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(
                f'refused {module}.{name} in a SinGAN side file: only numpy arrays, numbers '
                'and plain containers are allowed')
        if module == 'collections':
            return OrderedDict
        # a file written under numpy 1.x names numpy.core, under 2.x numpy._core
        for candidate in (module, module.replace('numpy._core', 'numpy.core'),
                          module.replace('numpy.core', 'numpy._core')):
            try:
                return getattr(importlib.import_module(candidate), name)
            except (ImportError, AttributeError):
                continue
        raise pickle.UnpicklingError(f'cannot resolve {module}.{name} with numpy '
                                     f'{np.__version__}')


def _to_tensor(x) -> Tensor:
    if isinstance(x, Tensor):
        return x.detach().clone()
    return torch.from_numpy(np.ascontiguousarray(np.asarray(x)))


def load_singan_side_file(filename: str) -> Dict[str, object]:
    """Read a released PE-SinGAN side file (``.pkl``) without running code.

    Returns:
        dict: ``fixed_noises`` (list of ``(1, C, H, W)`` tensors),
        ``noise_weights`` (list of float) and ``curr_stage`` (int).

    Raises:
        ValueError: The file lacks one of the three entries or they disagree.
        pickle.UnpicklingError: The file references anything else.
    """
    with open(filename, 'rb') as f:
        raw = f.read()
    if zipfile.is_zipfile(io.BytesIO(raw)):
        data = torch.load(io.BytesIO(raw), map_location='cpu', weights_only=True)
    else:
        data = _ArrayUnpickler(io.BytesIO(raw)).load()
    if not isinstance(data, dict) or not {'fixed_noises', 'noise_weights'} <= set(data):
        keys = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise ValueError(f'{filename}: not a SinGAN side file (expected fixed_noises, '
                         f'noise_weights, curr_stage; got {keys})')
    noises: List[Tensor] = [_to_tensor(n).float() for n in data['fixed_noises']]
    weights = [float(np.asarray(w)) for w in data['noise_weights']]
    stage = int(data.get('curr_stage', len(noises) - 1))
    if len(weights) != len(noises) or not 0 <= stage < len(noises):
        raise ValueError(f'{filename}: {len(noises)} fixed noises, {len(weights)} noise weights '
                         f'and curr_stage={stage} do not describe one SinGAN')
    return dict(fixed_noises=noises, noise_weights=weights, curr_stage=stage)


def side_file_state(side: Dict[str, object], prefix: str = 'state.') -> Dict[str, Tensor]:
    """State-dict entries of :class:`~mmposgan.models.gans.singan_state.SinGANState`."""
    out = {f'{prefix}fixed_noise_{i}': n for i, n in enumerate(side['fixed_noises'])}
    out[f'{prefix}noise_weights_'] = torch.tensor(side['noise_weights'], dtype=torch.float64)
    out[f'{prefix}curr_stage_'] = torch.tensor(int(side['curr_stage']), dtype=torch.long)
    return out
