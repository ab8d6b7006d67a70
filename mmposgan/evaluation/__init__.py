"""Evaluation: multi-level SWD, FID / precision & recall and scale consistency at any size.

``functional`` needs only torch; ``metrics`` registers ``ScaleAwareFID``,
``ScaleAwarePrecisionRecall``, ``MultiLevelSWD``, ``ScaleConsistency`` and
``RepeatedGenerativeMetric`` into the ``mmposgan`` metric registry.
"""
from .functional import default_swd_levels, multi_level_swd, seam_statistics
from .metrics import (MultiLevelSWD, RepeatedGenerativeMetric, ScaleAwareFID,
                      ScaleAwarePrecisionRecall, ScaleConsistency, scale_consistency)

__all__ = ['multi_level_swd', 'default_swd_levels', 'seam_statistics', 'MultiLevelSWD',
           'ScaleAwareFID', 'ScaleAwarePrecisionRecall', 'RepeatedGenerativeMetric',
           'ScaleConsistency', 'scale_consistency']
