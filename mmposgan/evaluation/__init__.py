"""Evaluation: multi-level SWD and FID / precision & recall at any generator scale.

``functional`` needs only torch and mmagic's pyramid functions; ``metrics``
registers ``ScaleAwareFID``, ``ScaleAwarePrecisionRecall`` and
``MultiLevelSWD`` into the ``mmposgan`` metric registry.
"""
from .functional import default_swd_levels, multi_level_swd
from .metrics import MultiLevelSWD, ScaleAwareFID, ScaleAwarePrecisionRecall

__all__ = ['multi_level_swd', 'default_swd_levels', 'MultiLevelSWD', 'ScaleAwareFID',
           'ScaleAwarePrecisionRecall']
