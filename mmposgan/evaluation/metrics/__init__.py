"""Generative metrics at any generator scale (FID, precision/recall, multi-level SWD)."""
from .feature_nets import load_feature_net, resolve_feature_net
from .fid import ScaleAwareFID
from .lpips_net import load_lpips, resolve_lpips_backbone
from .precision_recall import ScaleAwarePrecisionRecall
from .repeated import RepeatedGenerativeMetric
from .scale import ScaleMixin, resize_real
from .scale_consistency import ScaleConsistency, scale_consistency
from .swd import MultiLevelSWD

__all__ = ['ScaleAwareFID', 'ScaleAwarePrecisionRecall', 'MultiLevelSWD', 'ScaleMixin',
           'RepeatedGenerativeMetric', 'ScaleConsistency', 'scale_consistency',
           'resize_real', 'load_feature_net', 'resolve_feature_net',
           'load_lpips', 'resolve_lpips_backbone']
