from .multi_scale_val_loop import (MultiScaleTestLoop, MultiScaleValLoop, expand_over_scales,
                                   metric_at_scale)

__all__ = ['MultiScaleValLoop', 'MultiScaleTestLoop', 'expand_over_scales', 'metric_at_scale']
