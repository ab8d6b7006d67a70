"""Checkpoints written from DDP-wrapped GAN children load into the unwrapped model.

mmengine 0.10 saves ``generator.module.*`` when the generator is wrapped in DDP
inside ``MMSeparateDistributedDataParallel`` but its loader expects
``generator.*``: without the fix, resume silently restarts from fresh weights.
(The two-process end-to-end check is in docs/checkpoints.md.)
"""
import os.path as osp

import torch
from mmengine.config import Config

from mmposgan.converters.loading import load_checkpoint
from mmposgan.registry import MODELS
from mmposgan.utils.wrappers import strip_inner_wrapper_keys
from ..conftest import REPO

TINY = osp.join(REPO, 'configs', 'ms_pie_stylegan2',
                'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')


def build():
    return MODELS.build(Config.fromfile(TINY).model)


def as_if_wrapped(state_dict):
    """The keys mmengine writes when generator and discriminator are DDP-wrapped."""
    return {k.replace('generator.', 'generator.module.', 1) if k.startswith('generator.') else
            k.replace('discriminator.', 'discriminator.module.', 1)
            if k.startswith('discriminator.') else k: v for k, v in state_dict.items()}


def test_wrapped_keys_are_renamed_and_ema_keys_kept():
    model = build()
    sd = model.state_dict()
    assert any(k.startswith('generator_ema.module.') for k in sd)  # EMA: a real submodule
    fixed = strip_inner_wrapper_keys(as_if_wrapped(sd), model)
    assert list(fixed) == list(sd)
    assert strip_inner_wrapper_keys(sd, model).keys() == sd.keys()  # unwrapped: unchanged


def test_load_checkpoint_reads_a_distributed_file_strictly(tmp_path):
    source, target = build(), build()
    with torch.no_grad():
        for p in source.parameters():
            p.add_(1.0)
    path = tmp_path / 'dist.pth'
    torch.save(dict(meta=dict(), state_dict=as_if_wrapped(source.state_dict())), path)
    load_checkpoint(target, str(path), strict=True)
    assert source.state_dict().keys() == target.state_dict().keys()
    for (k, a), b in zip(source.state_dict().items(), target.state_dict().values(), strict=True):
        assert torch.equal(a, b), k
