"""Load a model from a config and checkpoint; sample and save image grids."""
import os
import os.path as osp
from functools import partial
from typing import Optional, Sequence, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from PIL import Image
from torch import Tensor
from torchvision.utils import make_grid

from mmposgan.converters.architecture import check_converted_architecture
from mmposgan.converters.loading import load_checkpoint
from mmposgan.registry import MODELS
from mmposgan.utils.sampling import sampling_context
from mmposgan.utils.size import centre_crop, size_name, to_size
from mmposgan.utils.wrappers import samples_with_ema, sampling_generator


def init_model(config: Union[str, Config], checkpoint: Optional[str] = None,
               device: Union[str, torch.device] = 'cpu', cfg_options: Optional[dict] = None,
               strict: bool = True):
    """Build the model of ``config`` and load ``checkpoint`` (path or URL).

    Args:
        config (str | Config): Config file or object.
        checkpoint (str | None): Checkpoint path or URL; ``None`` keeps the
            initial weights.
        device (str | torch.device): Where to put the model.
        cfg_options (dict | None): Overrides merged into the config.
        strict (bool): A checkpoint that does not fit the model (missing,
            unexpected or differently shaped weights, or a converted release
            of another structure) raises
            :class:`~mmposgan.utils.state_dict_check.CheckpointMismatchError`;
            ``False`` loads the part that fits and logs the rest.

    Returns:
        nn.Module: The model in eval mode, with ``.cfg`` attached.
    """
    if isinstance(config, str) and not osp.isfile(config):
        raise FileNotFoundError(f'config file not found: {config}')
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmposgan'))
    model = MODELS.build(cfg.model)
    if checkpoint is not None:
        load_checkpoint(model, checkpoint, map_location='cpu', strict=strict,
                        check=partial(check_converted_architecture, cfg))
    model.cfg = cfg
    return model.to(device).eval()


def load_generator(config: Union[str, Config], checkpoint: Optional[str] = None,
                   device: Union[str, torch.device] = 'cpu', use_ema: bool = True):
    """The generator of a config (EMA one if the model has it and ``use_ema``), in eval mode.

    Without ``checkpoint`` the generator keeps its initial (random) weights.
    """
    return sampling_generator(init_model(config, checkpoint, device), use_ema).eval()


def to_uint8(images: Tensor) -> np.ndarray:
    """``(N, 3, H, W)`` in ``[-1, 1]`` -> ``(N, H, W, 3)`` uint8."""
    images = ((images.detach().float().cpu().clamp(-1, 1) + 1) * 127.5).round()
    return images.to(torch.uint8).permute(0, 2, 3, 1).numpy()


def save_image_grid(images: Tensor, path: str, nrow: int = 4, padding: int = 2) -> str:
    """Save ``(N, 3, H, W)`` images in ``[-1, 1]`` as one PNG grid; returns ``path``."""
    grid = make_grid(images.detach().float().cpu().clamp(-1, 1), nrow=nrow, padding=padding,
                     pad_value=1.0)
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    Image.fromarray(to_uint8(grid[None])[0]).save(path)
    return path


def sample_multiscale(model, num_samples: int = 8, scales: Sequence = (256, ),
                      seed: Optional[int] = 0, truncation: float = 1.0, use_ema: bool = True):
    """Samples of a multi-scale StyleGAN2 from the same latents at every size (Fig. 6).

    A size the generator makes (each side ``(4 + k) * out_size / 4``) comes
    straight from it; any other is produced at the generator's
    ``producible_size`` (each side rounded up to a multiple of ``out_size /
    4``) and centre-cropped, so every size is possible (``tools/sample.py``
    says which sizes were cropped).

    Args:
        model: A ``MultiScaleStyleGAN2`` (e.g. from :func:`init_model`).
        num_samples (int): Number of latents.
        scales (list[int | tuple[int, int]]): Output sizes, an int (square) or
            ``(h, w)``.
        seed (int | None): Seed of the latents and injected noise (the same
            noise seed at every size).
        truncation (float): Truncation psi (1: none).
        use_ema (bool): Use the EMA generator when the model has one.

    Returns:
        dict: ``size -> (N, 3, h, w)`` in ``[-1, 1]`` (keys as given: ``256`` or
        ``(256, 512)``).
    """
    generator = sampling_generator(model, use_ema)
    scales = [size if isinstance(size, int) else tuple(size) for size in scales]
    produced = {size: generator.producible_size(size) for size in scales}
    for size in scales:
        _check_crop_keeps_the_seam(generator, size, produced[size])
    device = next(generator.parameters()).device
    seed = 0 if seed is None else seed
    latents = torch.randn(num_samples, model.noise_size,
                          generator=torch.Generator().manual_seed(seed)).to(device)
    out = {}
    with torch.no_grad(), sampling_context(generator, seed):
        for size in scales:
            torch.manual_seed(seed)  # the same injected noise at every scale
            images = generator(latents, size=produced[size], truncation=truncation)
            out[size] = centre_crop(images, size)
    return out


def _check_crop_keeps_the_seam(generator, size, produced) -> None:
    """A seamless generator's output is one period: cropping it along a wrapped axis would
    cut the period and put the seam back, so such a size is refused."""
    wrap = getattr(generator.padding, 'wrap_axes', '')
    cut = [axis for axis, asked, made in zip('yx', to_size(size), produced)
           if axis in wrap and asked != made]
    if cut:
        step = generator.pixel_step
        raise ValueError(f'{size_name(size)} would be cropped out of {size_name(produced)} '
                         f'along {" and ".join(cut)}, which the generator wraps: the crop would '
                         f'cut the period and show the seam; ask a multiple of {step} along '
                         f'{" and ".join(cut)} (e.g. {size_name(produced)})')


def _pipelines(node):
    """Every ``pipeline`` list inside a (nested) dataset config."""
    if isinstance(node, dict):
        if isinstance(node.get('pipeline'), (list, tuple)):
            yield node['pipeline']
        for value in node.values():
            yield from _pipelines(value)


def training_channel_order(cfg) -> str:
    """``'rgb'`` or ``'bgr'``: the channel order the config's training images are read in.

    mmcv/mmagic's ``LoadImageFromFile`` reads BGR unless ``channel_order``
    says otherwise; mmposgan's ``LoadRGBImage`` and datasets without a file
    loader (digits, the SinGAN pyramid) give RGB.
    """
    for pipeline in _pipelines(cfg.get('train_dataloader') or {}):
        for step in pipeline:
            if isinstance(step, dict) and step.get('type') == 'LoadImageFromFile':
                return step.get('channel_order', 'bgr').lower()
    return 'rgb'


def sample_unconditional(model, num_samples: int = 8, seed: Optional[int] = 0,
                         use_ema: bool = True) -> Tensor:
    """Random samples of a single-scale GAN trained with mmagic's ``BaseGAN`` (DCGAN, PGGAN).

    Samples through the model's own ``forward`` (PGGAN: at the scale and
    transition weight stored in the checkpoint) from ``seed``'s latents, and
    returns them in RGB order whatever order the config trained in.

    Returns:
        Tensor: ``(N, 3, H, W)`` in ``[-1, 1]``.
    """
    if not hasattr(model, 'noise_fn'):
        raise TypeError(f'{type(model).__name__} is not an unconditional GAN')
    sample_model = 'ema' if samples_with_ema(model, use_ema) else 'orig'
    gen = torch.Generator().manual_seed(0 if seed is None else seed)
    device = next(model.parameters()).device
    noise = torch.randn(num_samples, model.noise_size, generator=gen).to(device)
    with torch.no_grad():
        out = model(dict(noise=noise, sample_model=sample_model))
    images = torch.stack([s.fake_img for s in out]).float() / 127.5 - 1  # [0, 255] -> [-1, 1]
    cfg = getattr(model, 'cfg', None)
    if cfg is not None and training_channel_order(cfg) == 'bgr':
        images = images.flip(1)
    return images


def make_seamless(model, axes: str):
    """Make every generator of ``model`` (and its EMA copy) seamless along ``axes``, in place.

    ``'x'``: left and right edges join (360-degree panoramas); ``'xy'``: the
    samples tile.  Each generator's padding mode becomes its circular
    counterpart (``make_seamless`` of ``PositionalStyleGAN2Generator`` and
    ``PositionalSinGANGenerator``); the weights stay.

    Raises:
        ValueError: A generator that cannot be made seamless.
    """
    for name in ('generator', 'generator_ema'):
        generator = getattr(model, name, None)
        if generator is None:
            continue
        generator = getattr(generator, 'module', generator)  # DDP or EMA wrapper
        if not hasattr(generator, 'make_seamless'):
            raise ValueError(f'{type(generator).__name__} cannot be made seamless: seamless '
                             'sampling needs an MS-PIE StyleGAN2 or PE-SinGAN generator')
        generator.make_seamless(axes)
    return model


def sample_singan(model, num_samples: int = 8, size_scale: Union[float, Sequence[float]] = 1.0,
                  seed: Optional[int] = 0, mode: str = 'rand') -> Tensor:
    """Random samples (or the reconstruction) of a trained ``PositionalSinGAN``.

    Args:
        model: A ``PositionalSinGAN`` (e.g. from :func:`init_model`).
        num_samples (int): Number of samples.
        size_scale (float | tuple[float, float]): Output size relative to the
            training image, per (height, width); ``(1, 1.5)``: 1.5x wider.
        seed (int | None): Seed of the noise.
        mode (str): ``'rand'`` or ``'recon'``.

    Returns:
        Tensor: ``(N, 3, H, W)`` in ``[-1, 1]``.
    """
    if not hasattr(model, 'sample'):
        raise TypeError(f'{type(model).__name__} is not a SinGAN model')
    return model.sample(num_samples, size_scale=size_scale, mode=mode, seed=seed)
