"""FID at any generator scale (paper Tab. 2 and 5: FID@256, FID@512)."""
from typing import Optional, Sequence

import numpy as np
import torch
from mmagic.evaluation.metrics import FrechetInceptionDistance
from torch import Tensor

from mmposgan.registry import METRICS
from .feature_nets import load_feature_net
from .scale import ScaleMixin, scale_prefix


def mean_and_covariance(feats: Tensor) -> dict:
    """FID's real statistics of Inception features ``(num, 2048)``."""
    feats = feats.double().numpy()
    return dict(real_mean=torch.from_numpy(np.mean(feats, 0)),
                real_cov=torch.from_numpy(np.cov(feats, rowvar=False)),
                num=torch.tensor(feats.shape[0]))


@METRICS.register_module()
class ScaleAwareFID(ScaleMixin, FrechetInceptionDistance):
    """Fréchet Inception distance of samples at ``scale`` vs. real images resized to it.

    mmagic's :class:`FrechetInceptionDistance` (its Fréchet distance and
    Inception forward pass) with:

    * ``scale`` (see :class:`~mmposgan.evaluation.metrics.scale.ScaleMixin`):
      the generator samples at that size, real images are area-resized to
      it, and metrics at different scales get separate samplers;
    * Karras's TorchScript Inception (``inception-2015-12-05.pt``) from a
      local file only (:mod:`.feature_nets`): a missing file is an error at
      construction naming the file, its URL and where to place it; no
      download, no substitute network;
    * real mean/covariance cached per dataset, scale, ``real_nums`` and
      Inception file (sha256) under ``cache_dir``;
    * images rounded (not truncated) to uint8 before the Inception, and fakes
      put in the reals' colour order (see :meth:`ScaleMixin.set_channel_order`).

    Args:
        fake_nums (int): Number of generated images (50000 for FID50k).
        real_nums (int): Number of real images (-1: the whole dataset).
        scale (int | tuple | None): Evaluation size; None: the generator's default.
        inception_path (str | None): Local ``inception-2015-12-05.pt``.
        cache_dir (str | None): Real-statistics cache directory.
        scale_key (str): Generator keyword receiving the scale.
        sample_model (str): ``'ema'`` or ``'orig'``.
        sample_kwargs (dict | None): Further generator keywords.
        resize_fakes (bool): Area-resize the generator's own-size fakes to
            ``scale`` instead of sampling at it (Tab. 5 (b); see
            :class:`~mmposgan.evaluation.metrics.scale.ScaleMixin`).
        prefix (str | None): Result prefix; default ``'FID@<scale>'``.
        fake_key, real_key, need_cond_input, collect_device: As mmagic's.

    Shape:
        fakes ``(N, 3, h, w)`` in ``[0, 255]`` -> ``{'fid', 'mean', 'cov'}``.
    """

    def __init__(self, fake_nums: int, real_nums: int = -1, scale=None,
                 inception_path: Optional[str] = None, cache_dir: Optional[str] = None,
                 scale_key: str = 'size', sample_model: str = 'ema',
                 sample_kwargs: Optional[dict] = None, resize_fakes: bool = False,
                 prefix: Optional[str] = None,
                 fake_key: Optional[str] = None, real_key: Optional[str] = 'gt_img',
                 need_cond_input: bool = False, collect_device: str = 'cpu'):
        super().__init__(fake_nums, real_nums, 'StyleGAN', inception_path, None, fake_key,
                         real_key, need_cond_input, sample_model, collect_device,
                         scale_prefix('FID', scale, prefix))
        self._init_scale(scale, scale_key, sample_kwargs, cache_dir, 'FID', resize_fakes)

    def _load_inception(self, inception_style, inception_path):
        """Karras's Inception from a local file (see :mod:`.feature_nets`)."""
        net, self.inception_id = load_feature_net('inception', inception_path)
        return net, 'StyleGAN'

    def forward_inception(self, image: Tensor) -> Tensor:
        """Inception pool features of BGR ``[0, 255]`` images, rounded to uint8 first."""
        return super().forward_inception(image.round().clamp(0, 255))

    @torch.no_grad()
    def prepare(self, module, dataloader) -> None:
        """Real mean/covariance at the scale: from the cache, else computed and cached."""
        preprocessor = module.data_preprocessor
        self.device = preprocessor.device
        self.inception.to(self.device)
        self.set_channel_order(dataloader, preprocessor)
        path = self.cache_path('inception_mean_cov', dataloader, self.inception_id)
        stats = self.cached_real_stats(path, dataloader, preprocessor, self.forward_inception,
                                       mean_and_covariance, keys=('real_mean', 'real_cov'))
        self.real_mean = stats['real_mean'].numpy()
        self.real_cov = stats['real_cov'].numpy()
        self.real_stats_path = path

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        if len(self.fake_results) >= self.fake_nums_per_device:
            return
        feats = self.forward_inception(self.fake_images(data_samples))
        self.fake_results += list(torch.split(feats.cpu(), 1))
