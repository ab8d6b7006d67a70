from .multi_scale_val_loop import MultiScaleValLoop, expand_over_scales, metric_at_scale

__all__ = ['MultiScaleValLoop', 'expand_over_scales', 'metric_at_scale']
