"""Validation and test at every scale (the evaluation protocol of paper Tab. 2 and Tab. 5)."""
import copy
from typing import List, Optional, Sequence

from mmagic.engine.runner import MultiTestLoop, MultiValLoop

from mmposgan.registry import LOOPS, METRICS
from mmposgan.utils.size import to_size
from ..training_scales import training_scales


def metric_at_scale(metric: dict, scale) -> dict:
    """A copy of a metric config evaluating at ``scale`` (an int: square, or ``(h, w)``).

    ``prefix='FID10k'`` becomes ``'FID10k@256'`` (``'FID10k@256x512'`` for
    ``(256, 512)``; no prefix: the metric's default, ``'FID@256'``).  A wrapper
    with an inner ``metric`` (:class:`~mmposgan.evaluation.RepeatedGenerativeMetric`)
    gets the scale on its inner metric.
    """
    metric = copy.deepcopy(dict(metric))
    if 'metric' in metric:
        metric['metric'] = metric_at_scale(metric['metric'], scale)
        return metric
    h, w = to_size(scale)
    metric['scale'] = _in_kind(scale)
    if metric.get('prefix'):
        metric['prefix'] = f'{metric["prefix"]}@{h if h == w else f"{h}x{w}"}'
    return metric


def _in_kind(scale):
    """``256`` or ``(256, 256)`` -> ``256``; ``(256, 512)`` stays a pair."""
    h, w = to_size(scale)
    return h if h == w else (h, w)


def _has_scale(metric: dict) -> bool:
    return _has_scale(metric['metric']) if 'metric' in metric else metric.get('scale') is not None


def _takes_sizes(metric: dict) -> bool:
    """Whether the metric measures several sizes at once (``ScaleConsistency``)."""
    return bool(getattr(METRICS.get(metric.get('type', '')), 'MEASURES_SIZES', False))


def expand_over_scales(evaluator: dict, scales: Sequence) -> dict:
    """Evaluator config with every scale-less metric repeated at each of ``scales``.

    Metrics that already name a ``scale`` are kept as they are; a metric of
    several sizes at once (``MEASURES_SIZES``, e.g. ``ScaleConsistency``)
    gets ``sizes=scales`` unless it names its own.
    """
    evaluator = copy.deepcopy(dict(evaluator))
    metrics = evaluator.get('metrics') or []
    if isinstance(metrics, dict):
        metrics = [metrics]
    expanded: List[dict] = []
    for metric in metrics:
        if _takes_sizes(metric):
            expanded.append(dict(metric, sizes=metric.get('sizes') or list(scales)))
        elif _has_scale(metric):
            expanded.append(metric)
        else:
            expanded += [metric_at_scale(metric, s) for s in scales]
    evaluator['metrics'] = expanded
    return evaluator


def _scales_and_evaluator(runner, evaluator, scales: Optional[Sequence], loop: str):
    """A multi-scale loop's scales (given, or the training ones) and its expanded evaluator."""
    if not isinstance(evaluator, dict):
        raise ValueError(f'{loop} takes one evaluator config (a dict with metrics=[...]), '
                         f'got {type(evaluator).__name__}')
    scales = ([_in_kind(s) for s in scales] if scales is not None
              else training_scales(runner, loop))
    return scales, expand_over_scales(evaluator, scales)


@LOOPS.register_module()
class MultiScaleValLoop(MultiValLoop):
    """mmagic's ``MultiValLoop`` with each metric evaluated at every training scale.

    The paper selects its StyleGAN2 / MS-PIE snapshots by validation during
    training ("best snapshots before the discriminator has been shown 10M and
    20M images", Tab. 2 and 5).  With ``train_cfg.val_interval=N`` the runner
    calls this loop every ``N`` iterations; it samples the generator at each
    scale and evaluates every metric there (FID and precision/recall of
    :mod:`mmposgan.evaluation`), and :class:`~mmposgan.engine.BestSnapshotHook`
    keeps the best checkpoints.

    Args:
        runner: The runner.
        dataloader (DataLoader | dict): Real images (the training folder).
        evaluator (dict): One evaluator config; each metric without a
            ``scale`` is repeated per scale with ``scale=s`` and its
            ``prefix`` suffixed ``@s`` (see :func:`expand_over_scales`).
        scales (list[int | tuple] | None): Evaluation scales (an int:
            square, or ``(h, w)``); None: the scales of the training
            ``MultiScaleBatchSampler`` (one for a single-scale StyleGAN2).
        fp16 (bool): As ``MultiValLoop``.
    """

    def __init__(self, runner, dataloader, evaluator, scales: Optional[Sequence] = None,
                 fp16: bool = False):
        self.scales, evaluator = _scales_and_evaluator(runner, evaluator, scales,
                                                       'MultiScaleValLoop')
        super().__init__(runner, dataloader, evaluator, fp16)


@LOOPS.register_module()
class MultiScaleTestLoop(MultiTestLoop):
    """mmagic's ``MultiTestLoop`` with each metric evaluated at every scale.

    The test counterpart of :class:`MultiScaleValLoop` (``tools/test.py``):
    a config lists its metrics once, without a scale, and names the scales
    here, e.g. square and wide ones (docs/any_size.md)::

        test_cfg = dict(type='MultiScaleTestLoop', scales=[256, (256, 512), (256, 768)])

    Args:
        runner: The runner.
        dataloader (DataLoader | dict): Real images.
        evaluator (dict): One evaluator config; metrics are expanded over
            ``scales`` by :func:`expand_over_scales`.
        scales (list[int | tuple] | None): Evaluation scales (an int: square,
            or ``(h, w)``); None: the scales of the training
            ``MultiScaleBatchSampler`` (which builds the training dataloader).
        fp16 (bool): As ``MultiTestLoop``.
    """

    def __init__(self, runner, dataloader, evaluator, scales: Optional[Sequence] = None,
                 fp16: bool = False):
        self.scales, evaluator = _scales_and_evaluator(runner, evaluator, scales,
                                                       'MultiScaleTestLoop')
        super().__init__(runner, dataloader, evaluator, fp16)
