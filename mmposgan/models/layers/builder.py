"""Build a module of a given kind from a config, a type name or the module itself."""
from typing import Type, TypeVar, Union

import torch.nn as nn

from mmposgan.registry import MODELS

T = TypeVar('T', bound=nn.Module)


def registered_names(base: type) -> list:
    """Names of the registered classes (ours, in scope ``mmposgan``) that are ``base``."""
    return sorted(name for name, cls in MODELS.module_dict.items()
                  if isinstance(cls, type) and issubclass(cls, base))


def resolve_type(cfg: Union[str, dict], base: Type[T], what: str) -> Type[T]:
    """The class a config names, refused unless it is a ``base``.

    mmagic registers its own modules (``SPE``, ``CSG``, ...) in the parent
    registry; building one by mistake would silently produce a module with
    another interface, so the class is checked before it is built.

    Raises:
        KeyError: The type is not registered.
        ValueError: It is registered but is not ``what`` (lists those that are).
    """
    name = cfg if isinstance(cfg, str) else cfg.get('type')
    cls = MODELS.get(name) if isinstance(name, str) else name
    if cls is None:
        raise KeyError(f'{name} is not in the mmposgan::model registry')
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise ValueError(f'{name!r} is not {what}; use one of {registered_names(base)}')
    return cls


def build_typed(cfg: Union[str, dict, nn.Module], base: Type[T], what: str, **defaults) -> T:
    """Build ``cfg`` as a ``base`` module; ``defaults`` fill keys the config leaves out.

    Args:
        cfg (str | dict | nn.Module): A type name, a config dict or a built module
            (returned as it is, after the type check).
        base (type): The kind of module expected.
        what (str): How the kind is named in messages ("a padding mode").
        **defaults: Keyword arguments used where ``cfg`` has none.
    """
    if isinstance(cfg, nn.Module):
        if not isinstance(cfg, base):
            raise ValueError(f'{type(cfg).__name__} is not {what}; use one of '
                             f'{registered_names(base)}')
        return cfg
    resolve_type(cfg, base, what)
    cfg = dict(type=cfg) if isinstance(cfg, str) else dict(cfg)
    for key, value in defaults.items():
        cfg.setdefault(key, value)
    return MODELS.build(cfg)
