"""Evaluation: multi-level SWD and FID / precision & recall at any generator scale.

``functional`` needs only torch; ``metrics`` registers ``ScaleAwareFID``,
``ScaleAwarePrecisionRecall``, ``MultiLevelSWD`` and
``RepeatedGenerativeMetric`` into the ``mmposgan`` metric registry.
"""
from .functional import default_swd_levels, multi_level_swd
from .metrics import (MultiLevelSWD, RepeatedGenerativeMetric, ScaleAwareFID,
                      ScaleAwarePrecisionRecall)

__all__ = ['multi_level_swd', 'default_swd_levels', 'MultiLevelSWD', 'ScaleAwareFID',
           'ScaleAwarePrecisionRecall', 'RepeatedGenerativeMetric']
