"""Make ``mmposgan::<folder>/<config>.py`` work for other projects (mmengine's hub).

mmengine resolves ``_base_ = 'mmposgan::...'``, ``mmengine.hub.get_config``
and ``mmengine.hub.get_model`` in three steps:

1. the prefix must be a key of ``mmengine.config.utils.MODULE2PACKAGE`` (a
   fixed table of OpenMMLab projects; anything else fails an ``assert``);
2. the package must be installed (``pkg_resources`` finds its distribution)
   and hold ``.mim/configs`` (shipped by ``setup.py``) and, for configs with
   released weights, ``.mim/model-index.yml`` whose metafiles list
   ``Config`` and ``Weights``;
3. ``get_model`` imports ``<package>.utils`` and calls its
   ``register_all_modules()``.

Step 1 is :func:`register_mmengine_package`, run when ``mmposgan`` is imported.
It also answers step 2's question "where is the package" with the folder of
the imported ``mmposgan``: mmengine's own answer (the distribution's location
joined with the name) points into ``site-packages`` for pip's editable
installs (PEP 660), where no ``mmposgan`` folder exists.
mmengine reads the table when it parses a config, so a program must have
imported ``mmposgan`` before it loads a config with ``mmposgan::`` bases
(``custom_imports`` in that config is too late: mmengine processes it after
the bases).  Step 3 is :func:`register_all_modules`.
"""
import os.path as osp

import mmengine.config.config as mmengine_config
import mmengine.hub.hub as mmengine_hub
from mmengine.config import utils as mmengine_config_utils

PACKAGE = 'mmposgan'


def package_path() -> str:
    """Folder of the imported ``mmposgan`` package (holds ``.mim/``)."""
    import mmposgan
    return osp.dirname(osp.abspath(mmposgan.__file__))


def _with_our_path(get_installed_path):
    if getattr(get_installed_path, 'mmposgan_aware', False):
        return get_installed_path

    def wrapper(package: str) -> str:
        return package_path() if package == PACKAGE else get_installed_path(package)

    wrapper.mmposgan_aware = True
    wrapper.__doc__ = get_installed_path.__doc__
    return wrapper


def register_mmengine_package():
    """Let ``mmposgan::<folder>/<config>.py`` resolve in mmengine's config and hub.

    Adds ``mmposgan`` to ``MODULE2PACKAGE`` and makes the ``get_installed_path``
    that mmengine's config and hub modules call return :func:`package_path`
    for ``mmposgan`` (other packages are answered by mmengine as before).
    """
    mmengine_config_utils.MODULE2PACKAGE.setdefault(PACKAGE, PACKAGE)
    for module in (mmengine_config, mmengine_hub):
        module.get_installed_path = _with_our_path(module.get_installed_path)


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every mmposgan module that registers something (mmengine's hub calls this).

    Args:
        init_default_scope (bool): Also make ``mmposgan`` the default scope,
            as mmagic's function of the same name does.
    """
    import mmposgan.datasets  # noqa: F401
    import mmposgan.engine  # noqa: F401
    import mmposgan.evaluation  # noqa: F401
    import mmposgan.models  # noqa: F401
    import mmposgan.models.gans  # noqa: F401
    if init_default_scope:
        from mmengine.registry import init_default_scope as _init_default_scope
        _init_default_scope(PACKAGE)
