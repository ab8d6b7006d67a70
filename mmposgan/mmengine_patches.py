"""Every change mmposgan makes to mmengine's behaviour: what, where, the version it targets, why.

:data:`PATCHES` lists them.  Two kinds:

* ``when='import'``: applied by :func:`apply` when ``mmposgan`` is imported
  (``mmposgan/__init__.py``), because mmengine consults them before any
  mmposgan hook runs (the checkpoint loaders of ``load_from`` and
  :func:`~mmposgan.converters.loading.load_checkpoint`, the ``mmposgan::``
  config prefix while a config's bases are read);
* ``when='hook'`` / ``'unpickle'``: applied by the hook or function named in
  ``where`` while a Runner runs or a checkpoint is read; listed here so that
  one place says what each relies on.

This module lives at the package top, not in :mod:`mmposgan.engine`: it has
to run on ``import mmposgan`` without importing the models, registries and
mmagic that :mod:`mmposgan.engine` pulls in, and :mod:`mmposgan.utils` must
not import :mod:`mmposgan.converters` (whose loaders it registers, imported
only when mmengine first loads a checkpoint).

Each was written against mmengine ``0.10.7`` (``requirements/runtime.txt``);
:func:`check_mmengine_version` warns when another mmengine is imported, naming
the patches to re-check.
"""
import importlib
import warnings
from typing import NamedTuple

import mmengine
from mmengine.runner.checkpoint import CheckpointLoader

from mmposgan.utils.packaging import register_mmengine_package


class MmenginePatch(NamedTuple):
    """One change of mmengine's behaviour.

    Attributes:
        name (str): Short identifier.
        changes (str): What of mmengine is replaced or relied upon.
        where (str): ``module:attribute`` of the code that does it.
        when (str): ``'import'`` (by :func:`apply`), ``'hook'`` (a Runner
            hook) or ``'unpickle'`` (while a checkpoint is read).
        mmengine (str): Version prefix it targets (``'0.10.'``).
        why (str): What mmengine does there that mmposgan cannot keep.
        code (str): The module holding what is installed, when not ``where``'s.
    """
    name: str
    changes: str
    where: str
    when: str
    mmengine: str
    why: str
    code: str = ''


PATCHES = (
    MmenginePatch(
        'checkpoint_loaders',
        "CheckpointLoader schemes '' (local files) and 'http://', 'https://'",
        'mmposgan.mmengine_patches:register_checkpoint_loaders', 'import', '0.10.',
        'mmengine calls torch.load without weights_only, which fails on its own HistoryBuffer '
        'with torch >= 2.6, and its URL loader unpickles downloads without an allow list; the '
        'replacements load with an allow list and convert released mmagic/MMGeneration files '
        '(mmposgan.converters.loading)', code='mmposgan.converters.loading'),
    MmenginePatch(
        'history_buffer_getattr',
        "builtins.getattr as unpickled from HistoryBuffer's statistics methods",
        'mmposgan.utils.safe_load:history_buffer_getattr', 'unpickle', '0.10.',
        "the message hub pickles HistoryBuffer._statistics_methods entries as "
        "getattr(HistoryBuffer, name); only those lookups are answered, so allowing getattr "
        "does not open the allow list"),
    MmenginePatch(
        'config_package',
        "mmengine.config.utils.MODULE2PACKAGE and get_installed_path of mmengine.config.config "
        "and mmengine.hub.hub",
        'mmposgan.utils.packaging:register_mmengine_package', 'import', '0.10.',
        "'mmposgan::' configs and mmengine.hub need the prefix in a fixed table of OpenMMLab "
        "projects, and the package folder mmengine derives points into site-packages for "
        "editable installs"),
    MmenginePatch(
        'atomic_checkpoint_writes',
        "file backend 'mmposgan_atomic_local' (register_backend) and "
        "CheckpointHook._save_checkpoint_with_step (removals deferred)",
        'mmposgan.engine.hooks.atomic_checkpoint_hook:AtomicCheckpointHook', 'hook', '0.10.',
        'CheckpointHook deletes the oldest kept checkpoint before writing the new one with a '
        'plain open(): a failed write leaves a truncated file and, with max_keep_ckpts=1, '
        'nothing loadable'),
    MmenginePatch(
        'dataloader_iterator_swap',
        'IterBasedTrainLoop.dataloader_iterator (wrapped once on resume) and Runner._train_loop',
        'mmposgan.engine.hooks.random_state_hook:RandomStateCheckpointHook', 'hook', '0.10.',
        'on resume the loop draws runner.iter batches to advance the data pipeline, consuming '
        'random numbers; the saved random state is restored right before the first new batch'),
    MmenginePatch(
        'unwrapped_state_dict',
        "checkpoint['state_dict'] before saving and after loading",
        'mmposgan.engine.hooks.unwrapped_state_dict_hook:UnwrappedStateDictHook', 'hook',
        '0.10.',
        'with MMSeparateDistributedDataParallel, mmengine saves generator.module.* keys but '
        'loads through a loader that unwraps inner DDP wrappers, so a distributed resume '
        'silently starts from fresh weights'),
    MmenginePatch(
        'strict_load',
        'Runner._load_from and Runner._resume (read), the weights loaded before mmengine does',
        'mmposgan.engine.hooks.strict_load_hook:StrictLoadHook', 'hook', '0.10.',
        "load_from/resume load non-strictly (missing weights are only logged) and resume "
        "without a checkpoint trains from scratch after 'Auto resumed from ... None'"),
)


def _lazy_loader(name: str):
    """An mmengine loader function that imports ``mmposgan.converters.loading.<name>`` on use."""

    def loader(filename, map_location=None):
        module = importlib.import_module('mmposgan.converters.loading')
        return getattr(module, name)(filename, map_location=map_location)

    loader.__name__ = loader.__qualname__ = name
    loader.__doc__ = f'``mmposgan.converters.loading.{name}`` (imported on first use).'
    return loader


load_from_local = _lazy_loader('load_from_local')
load_from_url = _lazy_loader('load_from_url')


def register_checkpoint_loaders():
    """Make mmengine (Runner ``load_from`` / ``resume``, ``load_checkpoint``) load safely.

    Local files go through :func:`mmposgan.converters.loading.load_from_local`,
    URLs through :func:`mmposgan.converters.loading.load_from_url`; both
    replace mmengine's loaders for those schemes.
    """
    CheckpointLoader.register_scheme(prefixes='', loader=load_from_local, force=True)
    CheckpointLoader.register_scheme(prefixes=('http://', 'https://'), loader=load_from_url,
                                     force=True)


def check_mmengine_version(version: str = mmengine.__version__) -> list:
    """The patches whose targeted version ``version`` is not; warns once naming them.

    Returns:
        list[MmenginePatch]: Empty when every patch targets ``version``.
    """
    stale = [p for p in PATCHES if not version.startswith(p.mmengine)]
    if stale:
        warnings.warn(f'mmposgan changes mmengine {version} in ways written for another version: '
                      + '; '.join(f'{p.name} ({p.where}, for {p.mmengine}x)' for p in stale)
                      + ' (mmposgan/mmengine_patches.py says what each relies on)')
    return stale


def apply():
    """Apply the ``when='import'`` patches (run by ``import mmposgan``)."""
    check_mmengine_version()
    register_checkpoint_loaders()
    register_mmengine_package()  # 'mmposgan::<folder>/<config>.py' configs and mmengine.hub
