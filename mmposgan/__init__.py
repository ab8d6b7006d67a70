"""mmposgan: positional encoding as spatial inductive bias in GANs (Xu et al., CVPR 2021).

Importing the package registers its modules into the ``mmposgan`` registries
(children of mmagic's) and makes mmengine load checkpoints safely with
torch >= 2.6 (see :mod:`mmposgan.utils.checkpoint`), and makes ``mmposgan::`` config
paths resolve for mmengine (:mod:`mmposgan.utils.packaging`).
"""
from .utils.checkpoint import register_checkpoint_loaders
from .utils.packaging import register_mmengine_package
from .version import __version__

register_checkpoint_loaders()
register_mmengine_package()  # 'mmposgan::<folder>/<config>.py' configs and mmengine.hub

__all__ = ['__version__']
