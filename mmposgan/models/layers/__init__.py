"""Small registered building blocks: padding modes, input heads, resizing."""
from .cartesian_grid import CartesianGrid2d
from .constant import LearnableConstant
from .padded_block import PaddedBlock
from .padding import (BlockInterpPad, InterpPad, NoPad, PaddingMode, ZeroPadConv, ZeroPadHead,
                      build_padding)
from .positional_head import PositionalHead, build_head
from .resize import UpsampleConv2d
from .sinusoidal import SinusoidalEncoding2d

__all__ = [
    'CartesianGrid2d', 'LearnableConstant', 'SinusoidalEncoding2d', 'PositionalHead', 'build_head',
    'PaddingMode', 'ZeroPadConv', 'ZeroPadHead', 'InterpPad', 'BlockInterpPad', 'NoPad',
    'build_padding',
    'UpsampleConv2d', 'PaddedBlock'
]
