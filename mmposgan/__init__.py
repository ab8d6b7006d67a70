"""mmposgan: positional encoding as spatial inductive bias in GANs (Xu et al., CVPR 2021).

Importing the package registers its modules into the ``mmposgan`` registries
(children of mmagic's) and makes mmengine load checkpoints safely with
torch >= 2.6 (see :mod:`mmposgan.utils.checkpoint`).
"""
from .version import __version__
from .utils.checkpoint import register_checkpoint_loaders

register_checkpoint_loaders()

__all__ = ['__version__']
