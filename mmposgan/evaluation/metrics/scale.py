"""Evaluation of a generator at one of its scales (paper §3.5, Tab. 5).

:class:`ScaleMixin` gives a generative metric a ``scale`` (mmagic's measure
the base size: ``docs/differences_from_mmagic.md``):

* the generator is sampled with ``sample_kwargs[scale_key] = scale`` (our
  MS-PIE generators take ``size=``), and the metric's ``SAMPLER_MODE``
  carries the scale so that metrics at different scales get separate
  samplers;
* fakes of any other size are an error, not a silent measurement, unless
  ``resize_fakes=True``: then the generator samples at its own size and the
  fakes are area-resized (antialiased) to the scale, e.g. Tab. 5 (b): FID at
  256 of a 512 px StyleGAN2's images downsampled to 256;
* real images are resized to the scale with OpenCV's area interpolation
  (antialiased; what :class:`~mmposgan.datasets.ResizeToTrainingScale`
  does to the training images);
* real-image statistics are cached on disk per dataset (its files with their
  sizes and modification times, or the content of in-memory images), scale,
  number of real images and feature network (:func:`real_stats_key`); a cache
  file that cannot be read is recomputed with a warning.
"""
import contextlib
import hashlib
import os
import os.path as osp
import warnings
from typing import Iterator, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine import print_log
from mmengine.dataset import pseudo_collate
from mmengine.dist import all_gather, get_dist_info, is_main_process
from torch import Tensor
from torch.utils.data import DataLoader

from mmposgan.datasets.multi_scale import area_resize
from mmposgan.utils import cache
from mmposgan.utils.cache import atomic_open
from mmposgan.utils.sampling import forked_rng
from mmposgan.utils.size import size_name, to_size


def parse_scale(scale: Union[None, int, Sequence[int]]) -> Optional[Tuple[int, int]]:
    """``None`` (base scale), ``512`` or ``(h, w)`` -> ``None`` or ``(h, w)``."""
    if scale is None:
        return None
    try:
        return to_size(scale)
    except ValueError:
        raise ValueError(f'scale must be a positive int or (height, width), got {scale}') from None


def resize_real(images: Tensor, size: Tuple[int, int], name: str = 'real images') -> Tensor:
    """Resize images to ``size`` as training resizes reals (``area_resize``, antialiased).

    Args:
        images (Tensor): ``(N, C, H, W)`` images (any value range).
        size (tuple): Target ``(h, w)``; larger than the images is an error.
        name (str): What the images are, for the message.

    Shape:
        ``(N, C, H, W)`` -> ``(N, C, h, w)``.
    """
    h, w = size
    if tuple(images.shape[-2:]) == (h, w):
        return images
    arrays = images.permute(0, 2, 3, 1).cpu().float().numpy()
    out = [area_resize(a, (h, w), name, 'evaluation scale') for a in arrays]
    return torch.from_numpy(np.stack(out)).permute(0, 3, 1, 2).to(images.device)


@contextlib.contextmanager
def preserve_rng():
    """Restore the global torch RNGs (CPU and current GPU) after the block.

    Reading the real images draws DataLoader seeds from the global RNG; without
    this the generated samples (and so the metric) would differ depending on
    whether the real statistics came from the cache.
    """
    devices = [torch.cuda.current_device()] if torch.cuda.is_available() else []
    with forked_rng(devices=devices):
        yield


def _hash_value(digest, key: str, value) -> None:
    """Feed one data-info entry to ``digest``: files by path, size and mtime; arrays by content."""
    if isinstance(value, str) and osp.isfile(value):
        stat = os.stat(value)
        digest.update(f'{key}={osp.abspath(value)}:{stat.st_size}:{stat.st_mtime_ns};'.encode())
    elif isinstance(value, np.ndarray):
        digest.update(f'{key}={value.dtype}{value.shape}:'.encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, Tensor):
        _hash_value(digest, key, value.detach().cpu().numpy())
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _hash_value(digest, f'{key}[{i}]', item)
    elif isinstance(value, dict):
        for name in sorted(value):
            _hash_value(digest, f'{key}.{name}', value[name])
    else:
        digest.update(f'{key}={value!r};'.encode())


def dataset_fingerprint(dataset) -> str:
    """sha256 of what the real images are: every item's files and in-memory arrays.

    Each item's data info (mmengine's ``get_data_info``) is hashed: a value
    naming an existing file by its absolute path, size and modification time
    (so replacing, editing, adding or removing an image changes the value),
    an array by its content, anything else by its ``repr``.  A wrapper
    without data infos (``MultiScaleDataset``) is fingerprinted through its
    ``dataset``.
    """
    if not hasattr(dataset, 'get_data_info') and hasattr(dataset, 'dataset'):
        return dataset_fingerprint(dataset.dataset)
    digest = hashlib.sha256()
    if not hasattr(dataset, 'get_data_info'):
        digest.update(repr(type(dataset)).encode())
        return digest.hexdigest()
    if hasattr(dataset, 'full_init'):
        dataset.full_init()  # no-op once initialised
    for index in range(len(dataset)):
        info = dataset.get_data_info(index)
        for key in sorted(info):
            _hash_value(digest, key, info[key])
    return digest.hexdigest()


def dataset_identity(dataset) -> dict:
    """What identifies the real images of ``dataset``: root, prefix, annotation, pipeline,
    and :func:`dataset_fingerprint` (the files with sizes and modification times)."""
    return dict(
        type=type(dataset).__name__,
        data_root=getattr(dataset, 'data_root', None),
        data_prefix=getattr(dataset, 'data_prefix', None),
        ann_file=getattr(dataset, 'ann_file', None),
        pipeline=repr(getattr(dataset, 'pipeline', None)),
        length=len(dataset),
        fingerprint=dataset_fingerprint(dataset))


def real_stats_key(kind: str, dataset, scale: Optional[Tuple[int, int]], real_nums: int,
                   feature_net: str, **extra) -> str:
    """File name of the cached real statistics.

    Args:
        kind (str): What is cached (``'inception_mean_cov'``, ``'vgg_feat'``,
            ``'swd_desc'``).
        dataset: The real-image dataset (see :func:`dataset_identity`).
        scale (tuple | None): Evaluation scale (None: native size).
        real_nums (int): Number of real images (-1: all).
        feature_net (str): Identity of the feature network (file sha256).
        **extra: Anything else the statistics depend on (e.g. SWD levels).
    """
    args = dict(kind=kind, dataset=dataset_identity(dataset), scale=scale, real_nums=real_nums,
                feature_net=feature_net, resize='cv2.INTER_AREA',
                world_size=get_dist_info()[1], **extra)
    digest = hashlib.sha256(repr(sorted(args.items())).encode()).hexdigest()[:16]
    scale_str = 'native' if scale is None else f'{scale[0]}x{scale[1]}'
    return f'{kind}-{scale_str}-{"full" if real_nums == -1 else real_nums}-{digest}.pth'


def load_real_stats(path: str, keys: Sequence[str] = ()) -> Optional[dict]:
    """Cached statistics (tensors only; loaded with ``weights_only=True``) or None.

    A file that cannot be loaded (truncated, corrupt, not a ``torch.save``
    file) or that lacks one of ``keys`` gives a warning and None, so that
    the statistics are computed again and the file replaced.
    """
    if not osp.isfile(path):
        return None
    try:
        stats = torch.load(path, map_location='cpu', weights_only=True)
        if not isinstance(stats, dict):
            raise ValueError(f'holds a {type(stats).__name__}, not a dict')
        missing = [k for k in keys if k not in stats]
        if missing:
            raise ValueError(f'lacks {missing}')
    except Exception as err:  # any unreadable file is recomputed, never trusted
        warnings.warn(f'real-image statistics cache {path} is unreadable ({type(err).__name__}: '
                      f'{str(err)[:200]}); computing the statistics again and replacing it',
                      RuntimeWarning)
        return None
    print_log(f'loaded cached real-image statistics from {path}', 'current')
    return stats


def save_real_stats(path: str, stats: dict) -> None:
    """Write ``stats`` atomically (:func:`~mmposgan.utils.cache.atomic_open`)."""
    with atomic_open(path) as f:
        torch.save(stats, f)
    print_log(f'saved real-image statistics to {path}', 'current')


def scale_prefix(name: str, scale, prefix: Optional[str]) -> str:
    """Result prefix: ``prefix`` or ``'<name>@<scale>'`` (``'FID@512'``, ``'SWD@base'``)."""
    if prefix:
        return prefix
    scale = parse_scale(scale)
    if scale is None:
        return f'{name}@base'
    return f'{name}@{scale[0]}' if scale[0] == scale[1] else f'{name}@{scale[0]}x{scale[1]}'


class ScaleMixin:
    """Scale option shared by :class:`ScaleAwareFID`, :class:`ScaleAwarePrecisionRecall`
    and :class:`MultiLevelSWD` (see the module docstring).

    Args:
        scale (int | tuple | None): Evaluation size ``(h, w)`` (an int for
            square); None: the generator's default size and the real images
            as the dataloader gives them.
        scale_key (str): Generator keyword receiving the scale (``'size'``
            for :class:`~mmposgan.models.PositionalStyleGAN2Generator`, which
            takes an int: square scales are passed as int).
        cache_dir (str | None): Directory of cached real statistics; default
            ``cache_dir('real_stats')`` of :mod:`mmposgan.utils.cache`.
        resize_fakes (bool): Sample the generator at its own size (or as
            ``sample_kwargs`` say) and area-resize the fakes to ``scale``
            (Tab. 5 (b)); default False: the generator samples at ``scale``
            and fakes of another size are an error.
    """

    def _init_scale(self, scale, scale_key: str, sample_kwargs: Optional[dict],
                    cache_dir: Optional[str], name: str, resize_fakes: bool = False) -> None:
        self.scale = parse_scale(scale)
        self.scale_key = scale_key
        self.sample_kwargs = dict(sample_kwargs or {})
        self.resize_fakes = bool(resize_fakes)
        if self.resize_fakes and self.scale is None:
            raise ValueError(f'{name}: resize_fakes=True needs scale= (the size to resize to)')
        if self.scale is not None and not self.resize_fakes:
            if scale_key in self.sample_kwargs:
                raise ValueError(f'{name}: give the scale either as scale= or as '
                                 f'sample_kwargs[{scale_key!r}], not both')
            h, w = self.scale
            self.sample_kwargs[scale_key] = h if h == w else (h, w)
        # metrics sampling different sizes must not share one sampler
        sampled = self.sample_kwargs.get(scale_key)
        sampled = 'base' if sampled is None else size_name(sampled)
        self.SAMPLER_MODE = f'{self.SAMPLER_MODE}@{sampled}'
        self.cache_dir = cache_dir or cache.cache_dir('real_stats')

    @property
    def scale_str(self) -> str:
        if self.scale is None:
            return 'base'
        h, w = self.scale
        return str(h) if h == w else f'{h}x{w}'

    def set_channel_order(self, dataloader: DataLoader, data_preprocessor) -> None:
        """Find the generator's colour order: the order of the training images.

        mmagic's data preprocessor gives real images in BGR in test mode
        (``data_preprocessor(data, False)``) and leaves the generator output
        as it is, while a model trained on images loaded with
        ``channel_order='rgb'`` (our configs) generates RGB.  Fakes are
        flipped to BGR here when the training order was RGB, so that reals
        and fakes agree.  The order is the preprocessor's
        ``output_channel_order`` or the ``gt_channel_order`` of the dataset's
        images.
        """
        order = getattr(data_preprocessor, 'output_channel_order', None)
        if order is None:
            meta = dataloader.dataset[0]['data_samples'].metainfo
            key = 'gt' if self.real_key in (None, 'gt_img') else self.real_key
            order = meta.get(f'{key}_channel_order', 'bgr')
        self.fake_channel_order = str(order).upper()

    def fake_images(self, data_samples: Sequence[dict]) -> Tensor:
        """Stack the fakes of a batch (in BGR), checking they are at the scale.

        Shape:
            list of ``(C, h, w)`` -> ``(N, C, h, w)`` in ``[0, 255]``.
        """
        fakes = []
        for sample in data_samples:
            sample = sample.get(self.sample_model, sample)
            if self.fake_key is not None and self.fake_key in sample:
                fakes.append(sample[self.fake_key])
            else:
                fakes.append(sample['fake_img'])
        fakes = torch.stack(fakes)
        if self.scale is not None and tuple(fakes.shape[-2:]) != self.scale:
            if self.resize_fakes:
                return self._fake_channel_order(resize_real(fakes.float(), self.scale,
                                                            'generated images'))
            raise ValueError(
                f'{self.prefix}: the generator produced {fakes.shape[-2]}x{fakes.shape[-1]} '
                f'images, the metric evaluates at {self.scale[0]}x{self.scale[1]}: does the '
                f'generator take {self.scale_key}= (scale_key) in its sample_kwargs? '
                '(resize_fakes=True downsamples larger fakes to the scale instead)')
        return self._fake_channel_order(fakes)

    def _fake_channel_order(self, fakes: Tensor) -> Tensor:
        if getattr(self, 'fake_channel_order', 'BGR') == 'RGB' and fakes.shape[1] == 3:
            fakes = fakes.flip(1)
        return fakes

    def real_batches(self, dataloader: DataLoader, data_preprocessor) -> Iterator[Tensor]:
        """Real images at the scale, ``real_nums`` of them (-1: all), split over ranks.

        Yields:
            Tensor: ``(B, C, h, w)`` in ``[0, 255]``, BGR (as mmagic's data
            preprocessor gives them in test mode, and as :meth:`fake_images`).
        """
        dataset = dataloader.dataset
        num = len(dataset) if self.real_nums == -1 else self.real_nums
        if num > len(dataset):
            raise ValueError(f'{self.prefix}: real_nums={num} but the dataset has only '
                             f'{len(dataset)} images')
        rank, world = get_dist_info()
        # equally many per rank (all_gather needs it): item i of rank r is (i * world + r) % num
        subset = [(i * world + rank) % num for i in range(-(-num // world))]
        loader = DataLoader(dataset, batch_size=dataloader.batch_size, sampler=subset,
                            collate_fn=pseudo_collate, shuffle=False, drop_last=False,
                            num_workers=getattr(dataloader, 'num_workers', 0))
        key = self.real_key or 'gt_img'
        for data in loader:
            images = getattr(data_preprocessor(data, False)['data_samples'], key).float()
            yield images if self.scale is None else resize_real(images, self.scale)

    def gather_real(self, values: Tensor, num: int) -> Tensor:
        """Gather per-rank results of :meth:`real_batches` back into dataset order.

        Shape:
            ``(ceil(num / world), ...)`` on each rank -> ``(num, ...)``.
        """
        parts = all_gather(values)
        return torch.stack(parts, dim=1).flatten(0, 1)[:num]

    @torch.no_grad()
    def cached_real_stats(self, path: str, dataloader: DataLoader, data_preprocessor,
                          features, summarize, cache: bool = True,
                          keys: Sequence[str] = ()) -> dict:
        """Real statistics at the scale: loaded from ``path``, else computed (and saved there).

        Args:
            path (str): From :meth:`cache_path`.
            dataloader, data_preprocessor: Source of the real images
                (:meth:`real_batches`).
            features (callable): A real batch ``(B, C, h, w)`` -> per-image
                values ``(B, ...)``.
            summarize (callable): All gathered values ``(num, ...)`` -> the
                dict of tensors to keep.
            cache (bool): Read and write ``path``.
            keys (list[str]): Keys a valid cache file holds (else recomputed).
        """
        stats = load_real_stats(path, keys) if cache else None
        if stats is None:
            with preserve_rng():
                values = [features(imgs).cpu()
                          for imgs in self.real_batches(dataloader, data_preprocessor)]
                num = len(dataloader.dataset) if self.real_nums == -1 else self.real_nums
                stats = summarize(self.gather_real(torch.cat(values), num))
            if cache and is_main_process():
                save_real_stats(path, stats)
        return stats

    def cache_path(self, kind: str, dataloader: DataLoader, feature_net: str, **extra) -> str:
        return osp.join(self.cache_dir, real_stats_key(kind, dataloader.dataset, self.scale,
                                                       self.real_nums, feature_net, **extra))
