"""Improved precision & recall at any generator scale (paper Tab. 2 and 5)."""
from typing import Optional, Sequence

import torch
from mmagic.evaluation.metrics import PrecisionAndRecall
from torch import Tensor

from mmposgan.registry import METRICS
from .feature_nets import load_feature_net
from .scale import ScaleMixin, scale_prefix


@METRICS.register_module()
class ScaleAwarePrecisionRecall(ScaleMixin, PrecisionAndRecall):
    """Precision and recall (Kynkäänniemi et al. 2019) of samples at ``scale``.

    mmagic's :class:`PrecisionAndRecall` (its k-NN manifold estimate and
    VGG16 feature call) with (how mmagic's differs:
    ``docs/differences_from_mmagic.md``):

    * ``scale`` (see :class:`~mmposgan.evaluation.metrics.scale.ScaleMixin`);
    * Karras's TorchScript VGG16 (``vgg16.pt``) from ``vgg16_script`` only;
      missing -> an error naming the file, URL and place;
    * the first ``real_nums`` real images of the dataset, their features
      cached per dataset, scale, ``real_nums`` and VGG file.

    Args:
        fake_nums (int): Number of generated images (e.g. 50000).
        real_nums (int): Number of real images (-1: whole dataset).
        k (int): The k of the k-th nearest neighbour radius (3).
        scale (int | tuple | None): Evaluation size; None: generator default.
        vgg16_script (str | None): Local ``vgg16.pt``.
        cache_dir (str | None): Real-feature cache directory.
        scale_key (str): Generator keyword receiving the scale.
        sample_model (str): ``'ema'`` or ``'orig'``.
        sample_kwargs (dict | None): Further generator keywords.
        resize_fakes (bool): Area-resize the generator's own-size fakes to
            ``scale`` instead of sampling at it (Tab. 5 (b); see
            :class:`~mmposgan.evaluation.metrics.scale.ScaleMixin`).
        prefix (str | None): Result prefix; default ``'PR@<scale>'``.
        fake_key, real_key, need_cond_input, collect_device, row_batch_size,
        col_batch_size: As mmagic's.

    Shape:
        fakes ``(N, 3, h, w)`` in ``[0, 255]`` -> ``{'precision', 'recall'}``.
    """

    def __init__(self, fake_nums: int, real_nums: int = -1, k: int = 3, scale=None,
                 vgg16_script: Optional[str] = None, cache_dir: Optional[str] = None,
                 scale_key: str = 'size', sample_model: str = 'ema',
                 sample_kwargs: Optional[dict] = None, resize_fakes: bool = False,
                 prefix: Optional[str] = None,
                 fake_key: Optional[str] = None, real_key: Optional[str] = 'gt_img',
                 need_cond_input: bool = False, collect_device: str = 'cpu',
                 row_batch_size: int = 10000, col_batch_size: int = 10000):
        if k < 1:
            raise ValueError(f'PR: k must be >= 1, got {k}')
        super().__init__(fake_nums, real_nums, k, fake_key, real_key, need_cond_input,
                         sample_model, collect_device, scale_prefix('PR', scale, prefix),
                         vgg16_script, None,
                         row_batch_size, col_batch_size, False)
        self._init_scale(scale, scale_key, sample_kwargs, cache_dir, 'PR', resize_fakes)

    def _load_vgg(self, vgg16_script):
        """Karras's VGG16 from a local file (see :mod:`.feature_nets`)."""
        net, self.vgg16_id = load_feature_net('vgg16', vgg16_script)
        return net, True

    @torch.no_grad()
    def extract_features(self, images: Tensor) -> Tensor:
        """VGG16 features of BGR ``[0, 255]`` images, rounded to uint8 first."""
        return super().extract_features(images.round().clamp(0, 255))

    @torch.no_grad()
    def prepare(self, module, dataloader) -> None:
        """Real VGG features at the scale: from the cache, else computed and cached."""
        preprocessor = module.data_preprocessor
        self.vgg16.to(preprocessor.device)
        self.set_channel_order(dataloader, preprocessor)
        path = self.cache_path('vgg16_feat', dataloader, self.vgg16_id)
        device = preprocessor.device
        stats = self.cached_real_stats(path, dataloader, preprocessor,
                                       lambda imgs: self.extract_features(imgs.to(device)),
                                       lambda feats: dict(vgg_feat=feats), keys=('vgg_feat', ))
        self.results_real = stats['vgg_feat']
        self.real_stats_path = path

    @torch.no_grad()
    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        if len(self.fake_results) >= self.fake_nums_per_device:
            return
        feats = self.extract_features(self.fake_images(data_samples))
        self.fake_results += list(torch.split(feats.cpu(), 1))
