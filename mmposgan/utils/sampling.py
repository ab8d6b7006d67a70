"""Sampling without side effects: eval mode and a seeded global RNG, both restored afterwards."""
from contextlib import contextmanager
from typing import Iterable, Optional

import torch
from torch import nn


@contextmanager
def forked_rng(seed: Optional[int] = None, devices: Iterable = ()):
    """Inside the block the global torch RNGs are seeded with ``seed`` (if given);
    after it the CPU's and ``devices``' RNGs are as before the block.

    Args:
        seed (int | None): ``torch.manual_seed`` on entry; None keeps the state.
        devices (iterable): CUDA devices whose RNG is restored too.
    """
    with torch.random.fork_rng(devices=list(devices)):
        if seed is not None:
            torch.manual_seed(seed)
        yield


def cuda_devices(module: nn.Module) -> list:
    """The CUDA devices holding ``module``'s parameters or buffers."""
    tensors = list(module.parameters()) + list(module.buffers())
    return sorted({t.device.index for t in tensors if t.is_cuda})


@contextmanager
def sampling_context(module: nn.Module, seed: Optional[int] = None):
    """``module`` in eval mode for the block, its train/eval mode restored afterwards;
    with a ``seed``, the global RNGs seeded inside and restored afterwards
    (:func:`forked_rng`, for the CPU and the CUDA devices of ``module``).

    Without a seed the RNGs are left as the sampling leaves them (each call
    draws new samples).  Re-seeding inside the block (the same noise at
    every size) is undone on exit as well.

    Example:
        >>> with torch.no_grad(), sampling_context(generator, seed=0):
        ...     images = generator(z)
    """
    was_training = module.training
    module.eval()
    try:
        if seed is None:
            yield module
        else:
            with forked_rng(seed, cuda_devices(module)):
                yield module
    finally:
        module.train(was_training)
