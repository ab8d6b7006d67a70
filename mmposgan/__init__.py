"""mmposgan: positional encoding as spatial inductive bias in GANs (Xu et al., CVPR 2021).

Importing the package applies its changes to mmengine (:mod:`mmposgan.mmengine_patches`):
mmengine loads checkpoints safely with torch >= 2.6 and converts released ones
(:mod:`mmposgan.converters.loading`), and ``mmposgan::`` config paths resolve
(:mod:`mmposgan.utils.packaging`).  The modules register into the ``mmposgan``
registries (children of mmagic's) when their subpackages are imported.
"""
from .mmengine_patches import apply as _apply_mmengine_patches
from .version import __version__

_apply_mmengine_patches()

__all__ = ['__version__']
