"""A generative metric computed several times on independent samples (paper App. B.1)."""
import inspect
from typing import Dict, List, Sequence

import numpy as np
import torch.nn as nn
from mmagic.evaluation.metrics.base_gen_metric import GenerativeMetric

from mmposgan.registry import METRICS


@METRICS.register_module()
class RepeatedGenerativeMetric(GenerativeMetric):
    """Compute a metric ``repeats`` times on independent fakes; report mean and spread.

    App. B.1: "we compute each metric three times with different random seeds
    and report their average".  The wrapper asks the sampler for ``repeats ×
    fake_nums`` fakes (one shared sampler: fresh latents and noise for every
    image) and hands the ``k``-th block of ``fake_nums`` to copy ``k`` of the
    metric, so the repeats see disjoint samples.  Copies of metrics with a
    ``seed`` argument (SWD: patch positions and directions) get ``seed + k``.
    The real statistics are computed by the first copy (and read from the
    cache by the others); the copies share the feature network.

    Results: each key of the inner metric (``'FID@512/fid'``) holds the mean
    over the repeats, ``'<key>_std'`` the sample standard deviation
    (``ddof=1``) and ``'<key>_run<k>'`` the value of repeat ``k``.

    Args:
        metric (dict): Config of the inner metric (e.g. ``ScaleAwareFID``).
        repeats (int): Number of repeats (App. B.1: 3).

    Shape:
        fakes as the inner metric.
    """

    def __init__(self, metric: dict, repeats: int = 3):
        if repeats < 1:
            raise ValueError(f'RepeatedGenerativeMetric: repeats must be >= 1, got {repeats}')
        copies = [METRICS.build(self._seeded(metric, k)) for k in range(repeats)]
        first = copies[0]
        if not isinstance(first, GenerativeMetric):
            raise ValueError(f'RepeatedGenerativeMetric wraps generative metrics, got '
                             f'{type(first).__name__}')
        super().__init__(first.fake_nums * repeats, first.real_nums, first.fake_key,
                         first.real_key, first.need_cond_input, first.sample_model,
                         first.collect_device, None, dict(first.sample_kwargs))
        self.SAMPLER_MODE = first.SAMPLER_MODE  # share the inner metric's sampler
        for other in copies[1:]:  # one feature network for all copies
            for name, value in vars(first).items():
                if isinstance(value, nn.Module) and isinstance(getattr(other, name, None),
                                                               nn.Module):
                    setattr(other, name, value)
        self.copies = copies
        self.repeats = repeats
        self._seen = 0

    @staticmethod
    def _seeded(metric: dict, k: int) -> dict:
        metric = dict(metric)
        cls = METRICS.get(metric['type']) if isinstance(metric['type'], str) else metric['type']
        if cls is None:
            raise ValueError(f'RepeatedGenerativeMetric: unknown metric {metric["type"]!r}')
        if 'seed' in inspect.signature(cls.__init__).parameters:
            metric['seed'] = metric.get('seed', 0) + k
        return metric

    @property
    def fake_nums_per_device(self) -> int:
        return self.repeats * self.copies[0].fake_nums_per_device

    def prepare(self, module, dataloader) -> None:
        for metric in self.copies:
            metric.prepare(module, dataloader)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Route each fake to the copy whose block it falls in."""
        per_copy = self.copies[0].fake_nums_per_device
        blocks: List[List[dict]] = [[] for _ in self.copies]
        for sample in data_samples:
            k = self._seen // per_copy
            if k < self.repeats:
                blocks[k].append(sample)
            self._seen += 1
        for metric, block in zip(self.copies, blocks):
            if block:
                metric.process(data_batch, block)

    def evaluate(self) -> Dict[str, float]:
        runs = [metric.evaluate() for metric in self.copies]
        self._seen = 0
        result = {}
        for key in runs[0]:
            values = [run[key] for run in runs]
            if not all(isinstance(v, (int, float, np.floating)) for v in values):
                continue
            result[key] = float(np.mean(values))
            result[f'{key}_std'] = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
            for k, value in enumerate(values):
                result[f'{key}_run{k}'] = float(value)
        return result
