"""Models: layers, generators and discriminators.

The training algorithms in :mod:`mmposgan.models.gans` build on mmagic's GAN
classes (which import every mmagic editor and mmcv's compiled ops); they are
registered through the registry's locations and imported on first use, so
the networks themselves import with torch, mmengine and mmcv-lite alone.
"""
from .discriminators import *  # noqa: F401,F403
from .generators import *  # noqa: F401,F403
from .layers import *  # noqa: F401,F403
