"""Multi-level SWD at any generator scale (paper Tab. 3, 4, 6)."""
from typing import Optional, Sequence

import torch
from mmagic.evaluation.metrics.base_gen_metric import GenerativeMetric
from mmengine.dist import get_dist_info

from mmposgan.registry import METRICS
from ..functional.swd import (MIN_LEVEL, NHOOD_SIZE, check_images, check_pyramid, check_swd_levels,
                              extract_descriptors, laplacian_levels, level_key,
                              swd_from_descriptors, swd_generators)
from .scale import ScaleMixin, scale_prefix

DESC_DIM = 3 * NHOOD_SIZE**2  # one flattened 3-channel 7x7 neighbourhood


@METRICS.register_module()
class MultiLevelSWD(ScaleMixin, GenerativeMetric):
    """Multi-level sliced Wasserstein distance ×10³ of samples at ``scale``.

    The recipe of :func:`~mmposgan.evaluation.functional.multi_level_swd`
    (Karras's SWD: Laplacian pyramid down to 16 px, private seeded RNGs,
    reported levels chosen, default e.g. 128/64/32 band-pass + average) as a
    metric.  Real images (``real_nums`` of them, default ``fake_nums``) are
    read once in :meth:`prepare` and area-resized to ``scale``; the fakes come
    from the generator sampler at that scale (mmagic's ``SWD`` metric:
    ``docs/differences_from_mmagic.md``).

    Args:
        fake_nums (int): Number of generated images (Karras: 16384).
        real_nums (int | None): Number of real images; None: ``fake_nums``;
            -1: the whole dataset.
        scale (int | tuple | None): Evaluation size; None: generator default.
        levels (list[int] | None): Reported Laplacian levels (heights);
            None: :func:`~mmposgan.evaluation.functional.default_swd_levels`.
        min_size (int): Size of the pyramid's residual level (Karras: 16).
        pyramid (str): ``'karras'`` or ``'mmgen'`` (MMGeneration's pyramid).
        seed (int): Seed of patch positions and projection directions.
        cache_real (bool): Cache the real descriptors on disk (large: about
            ``real_nums × 128 × 147 × 4`` bytes per level); off by default,
            since they need no network, only reading the images.
        cache_dir, scale_key, sample_model, sample_kwargs, resize_fakes, prefix: As
            :class:`ScaleAwareFID`; default prefix ``'SWD@<scale>'``.

    Shape:
        fakes ``(N, C, h, w)`` in ``[0, 255]`` -> ``{'<level>': ..., 'avg': ...}``.
    """

    def __init__(self, fake_nums: int, real_nums: Optional[int] = None, scale=None,
                 levels: Optional[Sequence[int]] = None, min_size: int = MIN_LEVEL,
                 pyramid: str = 'karras', seed: int = 0,
                 cache_real: bool = False, cache_dir: Optional[str] = None,
                 scale_key: str = 'size', sample_model: str = 'ema',
                 sample_kwargs: Optional[dict] = None, resize_fakes: bool = False,
                 prefix: Optional[str] = None,
                 fake_key: Optional[str] = None, real_key: Optional[str] = 'gt_img',
                 collect_device: str = 'cpu'):
        real_nums = fake_nums if real_nums is None else real_nums
        super().__init__(fake_nums, real_nums, fake_key, real_key, False, sample_model,
                         collect_device, scale_prefix('SWD', scale, prefix))
        self._init_scale(scale, scale_key, sample_kwargs, cache_dir, 'SWD', resize_fakes)
        self.levels = None if levels is None else list(levels)
        self.min_size = min_size
        self.pyramid = check_pyramid(pyramid)
        if self.scale is not None:  # validate early when the size is known
            self.levels = check_swd_levels(*self.scale, self.levels, min_size)
        self.seed = seed
        self.cache_real = cache_real

    def _descriptors(self, images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """``(N, C, h, w)`` in [0, 255] -> ``(N, L, 128, 3 * 7 * 7)`` raw descriptors."""
        images = check_images(images.float() / 127.5 - 1, 'images')
        height, width = images.shape[2:]
        if self.levels is None or self._size != (height, width):
            self.levels = check_swd_levels(height, width, self.levels, self.min_size)
            self._size = (height, width)
        levels = laplacian_levels(images, self.levels, self.min_size, self.pyramid)
        desc = [extract_descriptors(level, generator).reshape(images.shape[0], 1, -1, DESC_DIM)
                for level in levels]
        return torch.cat(desc, dim=1)

    _size = None
    _real_size = None

    def _generators(self):
        rank = get_dist_info()[0]
        return swd_generators(self.seed + 1000003 * rank)

    @torch.no_grad()
    def prepare(self, module, dataloader) -> None:
        """Real descriptors at the scale (from the cache if ``cache_real``)."""
        preprocessor = module.data_preprocessor
        self.set_channel_order(dataloader, preprocessor)
        self._pos_real, self._pos_fake, self._dirs = self._generators()
        path = self.cache_path('swd_desc', dataloader, 'none', levels=self.levels,
                               seed=self.seed, min_size=self.min_size, pyramid=self.pyramid,
                               recipe='karras-ddof0')
        stats = self.cached_real_stats(
            path, dataloader, preprocessor, lambda imgs: self._descriptors(imgs, self._pos_real),
            lambda desc: dict(desc=desc, size=torch.tensor(self._size)), cache=self.cache_real,
            keys=('desc', 'size'))
        self.real_desc = stats['desc']
        self.real_stats_path = path
        self._real_size = tuple(stats['size'].tolist())

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        if len(self.fake_results) >= self.fake_nums_per_device:
            return
        fakes = self.fake_images(data_samples)
        if self._real_size is not None and tuple(fakes.shape[-2:]) != self._real_size:
            raise ValueError(f'{self.prefix}: fakes are {fakes.shape[-2]}x{fakes.shape[-1]}, real '
                             f'images {self._real_size[0]}x{self._real_size[1]}; set scale= to '
                             'resize the real images to the generated size')
        desc = self._descriptors(fakes, self._pos_fake)
        self.fake_results += list(torch.split(desc, 1))

    def compute_metrics(self, fake_results: list) -> dict:
        fake = torch.cat(fake_results)
        height, width = self._size
        keys = [level_key(level, height, width) for level in self.levels]
        shape = (-1, 3, NHOOD_SIZE, NHOOD_SIZE)
        per_level = [(self.real_desc[:, i].reshape(shape), fake[:, i].reshape(shape))
                     for i in range(len(self.levels))]
        result = swd_from_descriptors([r for r, _ in per_level], [f for _, f in per_level],
                                      keys, self._dirs)
        # the generators restart at the next evaluation: same seed, same value
        _, self._pos_fake, self._dirs = self._generators()
        return result
