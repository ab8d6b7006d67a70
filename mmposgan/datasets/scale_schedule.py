"""MS-PIE: one training scale per global iteration (paper §3.5, §4.1, App. D).

"In each iteration, we sample the current training scale according to a
given probability where the higher probability is set for the lower scale."

The draw for iteration ``t`` is a pure function of ``(seed, t)`` with the
configured probabilities: every rank, process count and device draws the
same scale for the same iteration by construction, without any
communication, and a resumed run continues the same sequence.  (The released
checkpoints were trained with uniform draws: ``docs/differences_from_mmagic.md``.)
"""
import math
from typing import Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np
from torch.utils.data import BatchSampler, Sampler

from mmposgan.registry import DATA_SAMPLERS
from mmposgan.utils.size import to_size

Size = Tuple[int, int]


class ScaleSchedule:
    """Draws the training scale of each iteration.

    Args:
        scales (list[int | tuple[int, int]]): Candidate image sizes, e.g.
            ``[256, 384, 512]``.
        probs (list[float] | None): Probability of each scale, non-negative
            and summing to 1 (e.g. ``[0.5, 0.25, 0.25]``); uniform if None.
        seed (int): Seed shared by all ranks.

    Raises:
        ValueError: Empty or non-positive scales; ``probs`` of another
            length, NaN/infinite, negative, or not summing to 1.
    """

    def __init__(self, scales: Sequence[Union[int, Sequence[int]]],
                 probs: Optional[Sequence[float]] = None, seed: int = 0):
        if not scales:
            raise ValueError('MS-PIE needs at least one training scale')
        try:
            self.scales: List[Size] = [to_size(s) for s in scales]
        except ValueError:
            raise ValueError(f'scales must be positive sizes, got {list(scales)}') from None
        if probs is None:
            probs = [1.0 / len(self.scales)] * len(self.scales)
        probs = [float(p) for p in probs]
        if len(probs) != len(self.scales):
            raise ValueError(f'{len(self.scales)} scales {list(scales)} but {len(probs)} '
                             f'probabilities {probs}: give one probability per scale')
        if not all(math.isfinite(p) for p in probs):
            raise ValueError(f'scale probabilities must be finite numbers, got {probs}')
        if any(p < 0 for p in probs):
            raise ValueError(f'scale probabilities must be non-negative, got {probs}')
        if abs(sum(probs) - 1.0) > 1e-6:
            raise ValueError(f'scale probabilities must sum to 1, got {probs} '
                             f'(sum {sum(probs):.6g})')
        self.probs = probs
        self.seed = int(seed)
        self._cdf = np.cumsum(probs)
        self._cdf[-1] = 1.0

    @property
    def max_scale(self) -> Size:
        return max(self.scales, key=lambda s: s[0] * s[1])

    def index_at(self, iteration: int) -> int:
        """Index of the scale drawn for ``iteration`` (deterministic)."""
        u = np.random.default_rng([self.seed, int(iteration)]).random()
        return int(np.searchsorted(self._cdf, u, side='right'))

    def scale_at(self, iteration: int) -> Size:
        """``(height, width)`` drawn for ``iteration``."""
        return self.scales[self.index_at(iteration)]


@DATA_SAMPLERS.register_module()
class MultiScaleBatchSampler(BatchSampler):
    """Batches of ``(index, (h, w))``: every sample of batch ``t`` gets the scale
    :class:`ScaleSchedule` draws for iteration ``t``.

    The batch counter is the global iteration: each rank forms batch ``t`` at
    the same time, so the whole global batch shares one scale.
    mmengine's ``IterBasedTrainLoop`` advances the dataloader by
    ``runner.iter`` batches on resume, which brings the counter to the
    resumed iteration; :meth:`set_iteration` sets it directly otherwise.

    Args:
        sampler (Sampler): Per-rank index sampler (e.g. ``InfiniteSampler``).
        batch_size (int): Per-rank batch size.
        scales, probs, seed: See :class:`ScaleSchedule`.
        drop_last (bool): Drop a last incomplete batch.
    """

    def __init__(self, sampler: Sampler, batch_size: int, scales, probs=None, seed: int = 0,
                 drop_last: bool = True):
        super().__init__(sampler, batch_size, drop_last)
        self.schedule = ScaleSchedule(scales, probs, seed)
        self.iteration = 0

    def set_iteration(self, iteration: int):
        self.iteration = int(iteration)

    def __iter__(self) -> Iterator[list]:
        batch = []
        for idx in self.sampler:
            batch.append(idx)
            if len(batch) == self.batch_size:
                size = self.schedule.scale_at(self.iteration)
                self.iteration += 1
                yield [(i, size) for i in batch]
                batch = []
        if batch and not self.drop_last:
            size = self.schedule.scale_at(self.iteration)
            self.iteration += 1
            yield [(i, size) for i in batch]
