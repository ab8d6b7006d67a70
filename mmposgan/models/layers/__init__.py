"""Small registered building blocks: padding, input heads, upsampling, release compatibility."""
from .builder import build_typed
from .cartesian_grid import CartesianGrid2d
from .circular_padding import CircularInterpPad, CircularPad
from .constant import LearnableConstant
from .modulated_conv import ModulatedConv2dPE
from .noise import NoiseMaps, PerChannelNoise, SharedNoise, build_noise
from .padding import (InterpPad, NoPad, PaddingMode, PerConvInterpPad, ZeroPadConv, ZeroPadInput,
                      build_padding, check_padding)
from .periodic_encoding import PeriodicEncoding2d
from .positional_head import PositionalHead, build_head, check_head_channels
from .release_compat import ConvThenBilinear, MMagicCartesianGrid2d, MMagicSinusoidalEncoding2d
from .resolutions import FIRST_MAP_SIZE, stylegan2_channels
from .sinusoidal import SinusoidalEncoding2d
from .upsampling import (BilinearThenConv, BilinearUpsample, CircularBilinearUpsample,
                         CircularFIRUpsample, ConvUpsampling, FIRUpsample, SkipUpsampling,
                         TransposedConvUp, UpsampleConv2d, build_conv_upsampling,
                         build_skip_upsampling)

__all__ = [
    'build_typed', 'CartesianGrid2d', 'LearnableConstant', 'SinusoidalEncoding2d',
    'PositionalHead', 'build_head', 'check_head_channels', 'PaddingMode', 'ZeroPadConv',
    'ZeroPadInput', 'InterpPad', 'PerConvInterpPad', 'NoPad', 'build_padding', 'check_padding',
    'ModulatedConv2dPE',
    'ConvUpsampling', 'TransposedConvUp', 'BilinearThenConv', 'build_conv_upsampling',
    'SkipUpsampling', 'FIRUpsample', 'BilinearUpsample', 'build_skip_upsampling',
    'UpsampleConv2d', 'MMagicSinusoidalEncoding2d', 'MMagicCartesianGrid2d', 'ConvThenBilinear',
    'FIRST_MAP_SIZE', 'stylegan2_channels', 'NoiseMaps', 'SharedNoise', 'PerChannelNoise',
    'build_noise', 'CircularPad', 'CircularInterpPad', 'PeriodicEncoding2d',
    'CircularFIRUpsample', 'CircularBilinearUpsample'
]
