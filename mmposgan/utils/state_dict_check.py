"""Load a state dict and say exactly where it does not fit.

mmengine loads checkpoints non-strictly by default (``Runner.load_checkpoint``
for ``load_from`` and ``--resume``): missing and unexpected keys are only
logged, so a model can be evaluated with half of its weights random.
:func:`load_state_dict_checked` loads the same way mmengine does (model
wrappers such as DDP, also inside a GAN, are looked through) but returns what
did not fit, and :func:`load_state_dict_strictly` turns that into one
:class:`CheckpointMismatchError` line.
"""
from typing import Dict, List, NamedTuple

from mmengine.model import BaseTTAModel, is_model_wrapper
from torch import nn

#: Keys named in a message before it only counts them.
LISTED = 3


class CheckpointMismatchError(ValueError):
    """A checkpoint does not fit the model (keys, shapes or recorded architecture)."""


class LoadReport(NamedTuple):
    """What :func:`load_state_dict_checked` could not load."""
    missing: List[str]
    unexpected: List[str]
    mismatched: List[str]  # torch's messages, e.g. 'size mismatch for x: ...'

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.mismatched)


def load_state_dict_checked(module: nn.Module, state_dict: Dict) -> LoadReport:
    """Copy ``state_dict`` into ``module`` as mmengine's ``load_state_dict`` does.

    The same recursion as ``mmengine.runner.checkpoint.load_state_dict``
    (model wrappers at any depth are replaced by their ``.module``; modules
    may re-create buffers in ``_load_from_state_dict``, as SinGAN's state
    does), but the missing keys (except BatchNorm's ``num_batches_tracked``),
    unexpected keys and shape mismatches are returned instead of logged.
    Tensors whose key and shape fit are copied either way.
    """
    missing, unexpected, errors = [], [], []
    metadata = getattr(state_dict, '_metadata', None)

    def load(mod, local, prefix=''):
        if is_model_wrapper(mod) or isinstance(mod, BaseTTAModel):
            mod = mod.module
        local_metadata = {} if metadata is None else metadata.get(prefix[:-1], {})
        mod._load_from_state_dict(local, prefix, local_metadata, True, missing, unexpected,
                                  errors)
        for name, child in mod._modules.items():
            if child is not None:
                child_prefix = f'{prefix}{name}.'
                load(child, {k: v for k, v in local.items() if k.startswith(child_prefix)},
                     child_prefix)

    load(module, dict(state_dict))
    missing = [k for k in missing if 'num_batches_tracked' not in k]
    return LoadReport(missing, unexpected, [e.split('\n')[0] for e in errors])


def _listed(keys: List[str]) -> str:
    more = f', ... ({len(keys)} in all)' if len(keys) > LISTED else ''
    return ', '.join(keys[:LISTED]) + more


def mismatch_message(report: LoadReport, source: str) -> str:
    """One line: which keys are missing, unexpected or of another shape."""
    parts = []
    if report.missing:
        parts.append(f'{len(report.missing)} weights of the model are not in the checkpoint '
                     f'({_listed(report.missing)})')
    if report.unexpected:
        parts.append(f'{len(report.unexpected)} weights of the checkpoint are not in the model '
                     f'({_listed(report.unexpected)})')
    if report.mismatched:
        parts.append(f'{len(report.mismatched)} weights differ in shape '
                     f'({_listed(report.mismatched)})')
    return f'{source} does not fit the model built from the config: ' + '; '.join(parts)


PARTIAL_HINT = ('use the config the checkpoint was made with, or load the matching part on '
                'purpose with --partial-load (tools), strict=False (init_model) or '
                "default_hooks.strict_load.partial=True (configs)")


def load_state_dict_strictly(module: nn.Module, state_dict: Dict, source: str) -> LoadReport:
    """:func:`load_state_dict_checked`, raising when anything did not fit.

    Raises:
        CheckpointMismatchError: One line naming the missing, unexpected and
            mismatched keys (the first few of each) and how to load partly.
    """
    report = load_state_dict_checked(module, state_dict)
    if not report.ok:
        raise CheckpointMismatchError(f'{mismatch_message(report, source)}; {PARTIAL_HINT}')
    return report
