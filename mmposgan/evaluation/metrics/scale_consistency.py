"""Scale consistency: does one model make the same image at every size it makes?

"One model, many sizes" promises that the same latent gives the same scene
at 256 and at 512, at 256x256 and in a 256x768 panorama.  For the same
latents (and no per-pixel noise, whose maps cannot be the same at two
sizes; ``add_noise=True`` draws them from the same seed), a *large* output
is brought to a *small* size and compared with the generator's own output
at that size (the consistency measure of Arbitrary-Scale Image Synthesis,
CVPR 2022), per size pair:

* ``match='resize'`` (default): centre-crop the large output to the small
  size's aspect ratio, then area-resize it (antialiased, as real images are
  resized, :func:`~.scale.resize_real`).  Small for a generator whose larger
  outputs are the same scene at a higher resolution (``interp`` heads).
* ``match='crop'``: the centre ``h x w`` window of the large output, at its
  own resolution.  Small for a generator whose larger canvas extends the
  scene around the centre (``expand`` heads, Fig. 4(d)).

Distances: ``'l1'`` (mean absolute difference of images in ``[-1, 1]``) and
``'lpips'`` (:func:`~.lpips_net.load_lpips`, whose backbone must be a local
file).  A pair ``(large, small)`` is named ``'<large>-><small>'``, e.g.
``'256x768->256'``.
"""
import itertools
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmagic.evaluation.metrics.base_gen_metric import GenerativeMetric
from torch import Tensor

from mmposgan.registry import METRICS
from mmposgan.utils.sampling import cuda_devices, forked_rng
from mmposgan.utils.size import Size, by_area, centre_crop, to_size
from .lpips_net import load_lpips
from .scale import resize_real

DISTANCES = ('l1', 'lpips')
MATCHES = ('resize', 'crop')


def size_text(size: Size) -> str:
    """``(256, 256) -> '256'``, ``(256, 512) -> '256x512'``."""
    h, w = size
    return str(h) if h == w else f'{h}x{w}'


def default_pairs(sizes: Sequence) -> List[Tuple[Size, Size]]:
    """Every ``(large, small)`` of ``sizes`` with ``large >= small`` on both sides, by size."""
    return [(a, b) for a, b in itertools.permutations(by_area(sizes), 2)
            if a[0] >= b[0] and a[1] >= b[1]]


def bring_to(images: Tensor, size: Size, match: str = 'resize') -> Tensor:
    """A large output brought to ``size`` (see the module docstring for ``match``).

    Shape:
        ``(N, C, H, W) -> (N, C, h, w)`` with ``H >= h``, ``W >= w``.
    """
    h, w = size
    big_h, big_w = images.shape[-2:]
    if big_h < h or big_w < w:
        raise ValueError(f'{big_h}x{big_w} images cannot be brought down to {h}x{w}')
    if match == 'crop':
        return centre_crop(images, size)
    if match != 'resize':
        raise ValueError(f'match must be one of {MATCHES}, got {match!r}')
    # the largest window of the small size's aspect ratio, then area interpolation
    scale = min(big_h / h, big_w / w)
    window = (min(big_h, round(h * scale)), min(big_w, round(w * scale)))
    return resize_real(centre_crop(images, window), size, 'generated images')


class PairDistances:
    """Distances between the same latents' outputs at pairs of sizes.

    Args:
        pairs (list[tuple]): ``(large, small)`` sizes.
        distances (list[str]): ``'l1'`` and/or ``'lpips'``.
        match (str): ``'resize'`` or ``'crop'``.
        lpips_net (str): LPIPS backbone, ``'alex'`` (default) or ``'vgg'``.
        lpips_path (str | None): Local backbone file (see :mod:`.lpips_net`).
    """

    def __init__(self, pairs, distances=DISTANCES, match: str = 'resize',
                 lpips_net: str = 'alex', lpips_path: Optional[str] = None):
        self.pairs = [(to_size(a), to_size(b)) for a, b in pairs]
        if not self.pairs:
            raise ValueError('scale consistency needs at least one (large, small) size pair')
        for large, small in self.pairs:
            if large[0] < small[0] or large[1] < small[1] or large == small:
                raise ValueError(f'pair {size_text(large)}->{size_text(small)}: the first size '
                                 'must be at least the second on both sides, and differ')
        self.distances = list(distances)
        unknown = set(self.distances) - set(DISTANCES)
        if unknown or not self.distances:
            raise ValueError(f'distances must be among {DISTANCES}, got {self.distances}')
        if match not in MATCHES:
            raise ValueError(f'match must be one of {MATCHES}, got {match!r}')
        self.match = match
        # loaded at construction: a missing backbone file is an error before any sampling
        self.lpips = load_lpips(lpips_net, lpips_path)[0] if 'lpips' in self.distances else None

    @property
    def sizes(self) -> List[Size]:
        """Every size a pair needs, in a fixed order."""
        return by_area(s for pair in self.pairs for s in pair)

    @property
    def names(self) -> List[str]:
        return [f'{size_text(a)}->{size_text(b)}' for a, b in self.pairs]

    @torch.no_grad()
    def __call__(self, images: Dict[Size, Tensor]) -> Tensor:
        """Per-sample distances ``(N, num_pairs, num_distances)`` from ``{size: images}``.

        Images are ``(N, 3, h, w)``, the same latents at each size; values are
        clipped to ``[-1, 1]`` (the image a user sees) before anything else.
        """
        out = []
        for large, small in self.pairs:
            a = bring_to(images[large].float().clamp(-1, 1), small, self.match)
            b = images[small].float().clamp(-1, 1).to(a.device)
            row = []
            for name in self.distances:
                if name == 'l1':
                    row.append((a - b).abs().flatten(1).mean(1))
                else:
                    self.lpips.to(a.device)
                    row.append(self.lpips(a, b).flatten())
            out.append(torch.stack(row, 1))
        return torch.stack(out, 1).cpu()

    def summarize(self, per_sample: Tensor) -> Dict[str, Dict[str, float]]:
        """``{pair: {distance: mean}}`` from stacked :meth:`__call__` results."""
        means = per_sample.double().mean(0)
        return {name: {d: float(means[i, j]) for j, d in enumerate(self.distances)}
                for i, name in enumerate(self.names)}


@torch.no_grad()
def scale_consistency(generator, sizes: Sequence, num_samples: int = 64, batch_size: int = 16,
                      pairs: Optional[Sequence] = None, distances=DISTANCES,
                      match: str = 'resize', add_noise: bool = False, seed: int = 0,
                      lpips_net: str = 'alex',
                      lpips_path: Optional[str] = None) -> Dict[str, Dict[str, float]]:
    """Scale consistency of a multi-size generator (see the module docstring).

    Args:
        generator: Called as ``generator(z, size=(h, w), add_noise=...)`` and
            returning ``(N, 3, h, w)`` in ``[-1, 1]`` (``PositionalStyleGAN2Generator``).
        sizes (list): Sizes; the pairs are :func:`default_pairs` of them
            unless ``pairs`` is given.
        num_samples (int): Latents.
        batch_size (int): Latents per generator call.
        pairs (list[tuple] | None): ``(large, small)`` size pairs.
        distances, match, lpips_net, lpips_path: See :class:`PairDistances`.
        add_noise (bool): Per-pixel noise, drawn from the same seed at each size.
        seed (int): Seed of the latents (and noise).

    Returns:
        dict: ``{'<large>-><small>': {'l1': ..., 'lpips': ...}}``.
    """
    measure = PairDistances(pairs if pairs is not None else default_pairs(sizes), distances,
                            match, lpips_net, lpips_path)
    device = next(generator.parameters()).device
    latents = torch.randn(num_samples, generator.style_channels,
                          generator=torch.Generator().manual_seed(seed))
    results = []
    with forked_rng(devices=cuda_devices(generator)):
        for start in range(0, num_samples, batch_size):
            z = latents[start:start + batch_size].to(device)
            images = {}
            for size in measure.sizes:
                torch.manual_seed(seed + start)  # the same noise draws at every size
                images[size] = generator(z, size=size, add_noise=add_noise)
            results.append(measure(images))
    return measure.summarize(torch.cat(results))


@METRICS.register_module()
class ScaleConsistency(GenerativeMetric):
    """Scale consistency as a metric of mmagic's evaluation loops (``tools/test.py``).

    For every batch of latents the sampler runs the generator at each size
    of the pairs, with ``sample_kwargs=dict(size=(h, w), add_noise=False)``
    (per-pixel noise off: :func:`scale_consistency` can also draw it from the
    same seed at each size); the distances of each pair are averaged over
    ``fake_nums`` latents.
    Results: ``'<large>-><small>/<distance>'``, e.g. ``'256x768->256/lpips'``.

    Args:
        fake_nums (int): Number of latents.
        sizes (list[int | tuple]): Sizes whose :func:`default_pairs` are measured.
        pairs (list[tuple] | None): Explicit ``(large, small)`` pairs instead.
        distances (list[str]): ``'l1'`` and/or ``'lpips'``.
        match (str): ``'resize'`` or ``'crop'``.
        lpips_net (str): ``'alex'`` or ``'vgg'``.
        lpips_path (str | None): Local LPIPS backbone file.
        seed (int): Seed of the latents.
        sample_model (str): ``'ema'`` or ``'orig'``.
        prefix (str): Result prefix.
    """

    SAMPLER_MODE = 'ScaleConsistency'
    #: Measures several sizes at once: ``MultiScaleTestLoop`` gives it ``sizes``, not ``scale``.
    MEASURES_SIZES = True

    def __init__(self, fake_nums: int, sizes: Sequence = (), pairs: Optional[Sequence] = None,
                 distances: Sequence[str] = DISTANCES, match: str = 'resize',
                 lpips_net: str = 'alex', lpips_path: Optional[str] = None, seed: int = 0,
                 sample_model: str = 'ema',
                 prefix: str = 'ScaleConsistency', collect_device: str = 'cpu'):
        super().__init__(fake_nums, 0, None, None, False, sample_model, collect_device, prefix)
        self.measure = PairDistances(pairs if pairs is not None else default_pairs(sizes),
                                     distances, match, lpips_net, lpips_path)
        self.seed = seed
        self._batch: Dict[Size, Tensor] = {}

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        size = to_size(data_batch['inputs']['sample_kwargs']['size'])
        fakes = []
        for sample in data_samples:
            sample = sample.get(self.sample_model, sample)
            fakes.append(sample['fake_img'])
        self._batch[size] = torch.stack(fakes).float() / 127.5 - 1  # [0, 255] -> [-1, 1]
        if len(self._batch) == len(self.measure.sizes):  # every size of this batch is here
            self.fake_results += list(self.measure(self._batch))
            self._batch = {}

    def compute_metrics(self, fake_results: list) -> dict:
        summary = self.measure.summarize(torch.stack(list(fake_results)))
        return {f'{pair}/{d}': value for pair, values in summary.items()
                for d, value in values.items()}

    def get_metric_sampler(self, model, dataloader, metrics):
        """Batches of the same latents at each size: ``(z_0, s_1), (z_0, s_2), ..., (z_1, s_1)``."""
        batch_size = dataloader.batch_size
        num = max(metric.fake_nums_per_device for metric in metrics)
        latents = torch.randn(num, model.noise_size,
                              generator=torch.Generator().manual_seed(self.seed))
        sample_model = self.sample_model
        batches = []
        for start in range(0, num, batch_size):
            for size in self.measure.sizes:
                batches.append(dict(inputs=dict(
                    noise=latents[start:start + batch_size], sample_model=sample_model,
                    sample_kwargs=dict(size=size, add_noise=False))))
        return batches
