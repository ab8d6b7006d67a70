from .discriminators import *  # noqa: F401,F403
from .gans import *  # noqa: F401,F403
from .generators import *  # noqa: F401,F403
from .layers import *  # noqa: F401,F403
