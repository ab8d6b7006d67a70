"""Helpers that import nothing else of mmposgan (tests/utils/test_utils_leaf.py checks it).

``register_all_modules`` (mmengine's hub calls ``<package>.utils.register_all_modules``)
is the one exception: it imports the registering subpackages when it is called.
"""
from .packaging import register_all_modules
from .safe_load import SAFE_GLOBALS, CheckpointFileError, safe_torch_load

__all__ = ['SAFE_GLOBALS', 'CheckpointFileError', 'safe_torch_load', 'register_all_modules']
