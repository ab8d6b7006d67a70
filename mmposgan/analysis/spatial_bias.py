"""Spatial-bias probe: is a generator's feature map weakly stationary? (paper §3.1-3.3, Eq. 1-5)

With i.i.d. inputs and no padding, every conv feature has a spatially
constant expectation ``E(y_i)`` and an autocorrelation ``R(y_i, y_j)`` that
depends only on ``i - j`` (Eq. 3-4, App. A.1-A.3).  Zero padding breaks both
near the borders (Eq. 4-5, App. A.2).  This probe estimates them from samples
and measures departures from stationarity in units of their sampling error.

Sampling error comes from independent splits (batch means): the samples are
divided into ``num_splits`` groups, every statistic is computed per group,
and a departure is standardised by the spread of the group values.  For a
statistic ``D`` with per-split values ``D_1..D_K`` the t-value is
``mean(D) / (std(D) / sqrt(K))``; the summaries are mean squared t-values,
whose expectation under stationarity is ``(K - 1) / (K - 3)`` (about 1.15 for
K = 16), and they grow with the number of samples when stationarity fails.
"""
from typing import Callable, Dict, Sequence, Tuple

import torch
from torch import Tensor

from mmposgan.utils.sampling import sampling_context

OFFSETS = ((0, 1), (1, 0), (1, 1))


class _Moments:
    """Per-split sums of ``y`` and of ``y_i * y_{i+d}`` over samples, ``(K, C, H, W)``."""

    def __init__(self, num_splits: int, offsets):
        self.num_splits, self.offsets = num_splits, offsets
        self.count = torch.zeros(num_splits, dtype=torch.float64)
        self.sum = None
        self.prod = {}

    def add(self, split: int, y: Tensor):
        y = y.detach().double()
        if self.sum is None:
            self.sum = y.new_zeros(self.num_splits, *y.shape[1:])
            for dy, dx in self.offsets:
                h, w = y.shape[-2] - dy, y.shape[-1] - dx
                self.prod[(dy, dx)] = y.new_zeros(self.num_splits, y.shape[1], h, w)
        self.count[split] += y.shape[0]
        self.sum[split] += y.sum(0)
        for (dy, dx), acc in self.prod.items():
            h, w = acc.shape[-2:]
            acc[split] += (y[:, :, :h, :w] * y[:, :, dy:dy + h, dx:dx + w]).sum(0)


def _mean_t2(values: Tensor) -> float:
    """Mean squared t-value of per-split values ``(K, ...)`` (0-mean hypothesis)."""
    k = values.shape[0]
    se = values.std(0, unbiased=True) / k**0.5
    return float(((values.mean(0) / se.clamp_min(1e-30))**2).mean())


def _departure_from_flat(maps: Tensor) -> Tensor:
    """Per split, each map minus its own spatial mean."""
    return maps - maps.mean(dim=(-2, -1), keepdim=True)


def summarize(m: _Moments, border: int = 1) -> dict:
    """Stationarity summaries of one layer (see the module docstring)."""
    n = m.count.view(-1, 1, 1, 1)
    mean = m.sum / n  # (K, C, H, W)
    h, w = mean.shape[-2:]
    edge = torch.zeros(h, w, dtype=torch.bool)
    edge[:border], edge[-border:], edge[:, :border], edge[:, -border:] = True, True, True, True
    border_minus_centre = mean[..., edge].mean(-1) - mean[..., ~edge].mean(-1)  # (K, C)
    out = dict(
        size=[h, w],
        mean_map_flatness_t2=_mean_t2(_departure_from_flat(mean)),
        border_vs_centre_t2=_mean_t2(border_minus_centre),
        mean_map=mean.mean(0).mean(0),  # (H, W), averaged over channels
    )
    for (dy, dx), acc in m.prod.items():
        corr = acc / n  # E[y_i y_{i+d}] per split
        out[f'autocorr_{dy}{dx}_flatness_t2'] = _mean_t2(_departure_from_flat(corr))
    return out


@torch.no_grad()
def spatial_bias(features: Callable[[int], Dict[str, Tensor]], num_samples: int = 512,
                 batch_size: int = 32, num_splits: int = 16,
                 offsets: Sequence[Tuple[int, int]] = OFFSETS, border: int = 1) -> Dict[str, dict]:
    """Estimate stationarity statistics of every feature ``features`` returns.

    Args:
        features: ``features(batch_size) -> {name: (N, C, H, W)}``, each call
            drawing new i.i.d. inputs.
        num_samples (int): Samples in total (a multiple of ``num_splits``).
        batch_size (int): Samples per call.
        num_splits (int): Independent groups for the sampling error.
        offsets: Offsets ``(dy, dx)`` of the autocorrelation maps.
        border (int): Width of the border region.

    Returns:
        dict: per feature name, ``mean_map_flatness_t2``,
        ``border_vs_centre_t2``, ``autocorr_{dy}{dx}_flatness_t2`` (all about
        1.15 when stationary) and the ``mean_map`` ``(H, W)``.
    """
    per_split = num_samples // num_splits
    if per_split < 1 or num_splits < 4:
        raise ValueError('need num_splits >= 4 and num_samples >= num_splits')
    if batch_size < 1:
        raise ValueError(f'batch size must be >= 1, got {batch_size}')
    moments: Dict[str, _Moments] = {}
    for split in range(num_splits):
        done = 0
        while done < per_split:
            b = min(batch_size, per_split - done)
            for name, y in features(b).items():
                moments.setdefault(name, _Moments(num_splits, offsets)).add(split, y)
            done += b
    return {name: summarize(m, border) for name, m in moments.items()}


def generator_features(generator, size=None):
    """A ``features`` callable for :func:`spatial_bias` from a generator.

    * ``PositionalStyleGAN2Generator``: the head is replaced by i.i.d.
      ``N(0, 1)`` input (the paper's setting), ``z`` and injected noise are
      random; features are the outputs of every styled conv.
    * ``PositionalSinGANGenerator``: stage 0 run through the generator's own
      ``forward`` (``'rand'`` mode, ``sigma_0 = 1``), so its padding mode and
      positional head apply as in sampling: i.i.d. ``N(0, 1)`` noise drawn
      at the size its padding mode asks for, zero-padded by ``ZeroPadInput``
      (the original SinGAN) or ``ZeroPadConv``, drawn larger by the
      padding-free ``InterpPad``, plus the encoding of a PE-SinGAN head.
      ``size`` is the stage-0 image size (default 32).  Features are the
      outputs of its layers.

    The generator runs in eval mode (running batch-norm statistics; no
    statistics are updated) and is put back in its mode after every call.
    """
    if hasattr(generator, 'head_input_size'):  # StyleGAN2
        side = generator.head_input_size(size)
        layers = {'conv1': generator.conv1}
        layers.update({f'convs.{i}': m for i, m in enumerate(generator.convs)})
        channels = generator.head.out_channels

        def run(b):
            head = torch.randn(b, channels, side, side, device=_device(generator))
            generator(num_batches=b, head_input=head)
    else:  # SinGAN stage 0, through the generator's padding mode and head
        stack = generator.blocks[0]
        layers = {'head': stack.head}
        layers.update({f'body.{n}': m for n, m in stack.body.named_children()})
        layers['tail'] = stack.tail
        side = size or 32
        fixed = [n.to(_device(generator)) for n in generator.make_fixed_noises([(side, side)])]

        def run(b):
            generator(None, fixed, [1.0], 'rand', 0, num_batches=b)

    def features(b):
        seen = {}
        hooks = [m.register_forward_hook(lambda mod, a, out, n=n: seen.__setitem__(n, out))
                 for n, m in layers.items()]
        try:
            with sampling_context(generator):
                run(b)
        finally:
            for h in hooks:
                h.remove()
        return seen

    return features


def _device(module):
    return next(module.parameters()).device
