"""Conversion of released mmagic / MMGeneration checkpoints (paper Tab. 5, §4.4)."""
from .mmagic import convert_mmagic_checkpoint, detect_layout, is_mmagic_checkpoint
from .singan_side_file import load_singan_side_file

__all__ = ['convert_mmagic_checkpoint', 'detect_layout', 'is_mmagic_checkpoint',
           'load_singan_side_file']
