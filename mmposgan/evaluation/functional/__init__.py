"""Metric functions that need no registry or runner (importable with torch alone)."""
from .seam import seam_statistics
from .swd import default_swd_levels, multi_level_swd

__all__ = ['default_swd_levels', 'multi_level_swd', 'seam_statistics']
