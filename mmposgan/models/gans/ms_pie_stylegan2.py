"""MS-PIE training of StyleGAN2 (paper §3.5, §4.3, App. D)."""
import math
from typing import Dict, Optional, Tuple

import torch
import torch.autograd as autograd
import torch.nn.functional as F
from mmagic.models.editors.stylegan2 import StyleGAN2
from mmengine import MessageHub
from mmengine.optim import AmpOptimWrapper
from torch import Tensor

from mmposgan.registry import MODELS
from mmposgan.utils.wrappers import unwrapped_module


def path_length_penalty(generator, num_batches: int, mean_path_length: Tensor, size,
                        decay: float = 0.01) -> Tuple[Tensor, Tensor]:
    """StyleGAN2's path-length regulariser at the given output ``size``.

    ``J_w^T y`` for ``y ~ N(0, I) / sqrt(HW)``; penalty
    ``(||J_w^T y|| - a)^2`` with ``a`` the running mean of the lengths.
    MS-PIE evaluates it at the iteration's scale (mmagic's at the base
    scale: ``docs/differences_from_mmagic.md``).

    Returns:
        tuple: ``(penalty, new mean path length)``.
    """
    out = generator(None, num_batches=num_batches, size=size, return_latents=True)
    img, latent = out['fake_img'], out['latent']
    noise = torch.randn_like(img) / math.sqrt(img.shape[2] * img.shape[3])
    grad, = autograd.grad((img * noise).sum(), latent, create_graph=True)
    lengths = grad.pow(2).sum(2).mean(1).sqrt()
    mean = mean_path_length + decay * (lengths.mean().detach() - mean_path_length)
    return (lengths - mean).pow(2).mean(), mean


@MODELS.register_module()
class MultiScaleStyleGAN2(StyleGAN2):
    """StyleGAN2 trained at one MS-PIE scale per iteration.

    A scale is any ``(h, w)`` the generator makes (square or not: 256x512
    panoramas from a 256 model).  The scale comes from the data: real images
    arrive already resized (in the data pipeline, with antialiasing) to the
    size :class:`~mmposgan.datasets.MultiScaleBatchSampler` drew for the
    whole global batch, and the generator follows that size.  R1 (through mmagic's
    ``disc_loss``) and the path-length regulariser both run at that scale.
    Lazy regularisation, non-saturating loss and EMA are mmagic's
    ``StyleGAN2``'s.  Sampling for evaluation (mmagic's ``val_step`` /
    ``test_step``) follows ``sample_kwargs=dict(size=...)``, which the
    scale-aware metrics of :mod:`mmposgan.evaluation` set.

    Mixed precision: each update computes its forward passes and losses
    inside its optimizer wrapper's ``optim_context``, so an
    ``AmpOptimWrapper`` autocasts them (mmagic's ``StyleGAN2.train_step``
    never enters it, so there ``AmpOptimWrapper`` only scaled the losses of
    float32 computations).  Only bfloat16 autocast is accepted: R1 and the
    path-length regulariser differentiate unscaled outputs, whose gradients
    float16 cannot hold (``tools/train.py --amp`` picks bfloat16).

    Args:
        generator, discriminator, data_preprocessor, generator_steps,
        discriminator_steps, ema_config: As mmagic's ``StyleGAN2``.
        loss_config (dict): ``r1_loss_weight``, ``r1_interval``,
            ``g_reg_interval``, ``g_reg_weight``, ``pl_batch_shrink`` (and the
            other keys of :attr:`LOSS_CONFIG_KEYS`).

    Raises:
        ValueError: ``loss_config`` has a key mmagic's ``StyleGAN2`` does not read.
    """

    #: The ``loss_config`` keys mmagic's ``StyleGAN2`` reads (it ignores any other).
    LOSS_CONFIG_KEYS = ('r1_loss_weight', 'r1_interval', 'norm_mode', 'r1_use_apex_amp',
                        'scale_r1_loss', 'g_reg_interval', 'g_reg_weight', 'pl_batch_shrink',
                        'g_reg_use_apex_amp')

    def __init__(self, *args, loss_config: Optional[dict] = None, **kwargs):
        unknown = sorted(set(loss_config or {}) - set(self.LOSS_CONFIG_KEYS))
        if unknown:
            raise ValueError(f'{type(self).__name__}: unknown loss_config keys {unknown}; '
                             f'it reads {list(self.LOSS_CONFIG_KEYS)}')
        super().__init__(*args, loss_config=dict(loss_config or {}), **kwargs)

    @property
    def gen(self):
        return unwrapped_module(self.generator)

    def iteration_size(self, data_samples) -> Tuple[int, int]:
        """The ``(h, w)`` of this iteration's scale: that of its real images.

        Raises:
            ValueError: The generator cannot produce their size.
        """
        h, w = (int(n) for n in data_samples.gt_img.shape[-2:])
        self.gen.scale_offset((h, w))  # raises if the head cannot produce this size
        return (h, w)

    def train_step(self, data: dict, optim_wrapper) -> Dict[str, Tensor]:
        """mmagic's ``StyleGAN2.train_step`` after checking the autocast precision.

        Raises:
            ValueError: An ``AmpOptimWrapper`` that autocasts to float16 (its
                ``dtype`` float16, or unset: float16 on CUDA).
        """
        for name, wrapper in optim_wrapper.items():
            if isinstance(wrapper, AmpOptimWrapper) and wrapper.cast_dtype in (None,
                                                                               torch.float16):
                raise ValueError(
                    f'MultiScaleStyleGAN2: optim_wrapper {name!r} is an AmpOptimWrapper with '
                    f'dtype={wrapper.cast_dtype} (float16 autocast); the R1 and path-length '
                    'gradients are taken without loss scaling and underflow in float16: set '
                    "dtype='bfloat16' (what tools/train.py --amp does) or use CUDATrainingHook")
        return super().train_step(data, optim_wrapper)

    def train_discriminator(self, inputs: dict, data_samples,
                            optimizer_wrapper) -> Dict[str, Tensor]:
        real_imgs = data_samples.gt_img
        size = self.iteration_size(data_samples)
        noise = self.noise_fn(num_batches=real_imgs.shape[0])
        with optimizer_wrapper.optim_context(self.discriminator):  # autocast of --amp
            with torch.no_grad():
                fake_imgs = self.generator(noise, size=size)
            parsed, log_vars = self.disc_loss(self.discriminator(fake_imgs),
                                              self.discriminator(real_imgs), real_imgs)
        optimizer_wrapper.update_params(parsed)
        log_vars['scale'], log_vars['scale_width'] = float(size[0]), float(size[1])
        return log_vars

    def train_generator(self, inputs: dict, data_samples, optimizer_wrapper) -> Dict[str, Tensor]:
        num_batches = len(data_samples)
        size = self.iteration_size(data_samples)
        noise = self.noise_fn(num_batches=num_batches)
        with optimizer_wrapper.optim_context(self.generator):  # autocast of --amp
            fake_imgs = self.generator(noise, size=size)
            parsed, log_vars = self.gen_loss(self.discriminator(fake_imgs), num_batches, size)
        optimizer_wrapper.update_params(parsed)
        return log_vars

    def gen_loss(self, disc_pred_fake: Tensor, batch_size: int,
                 size: Tuple[int, int]) -> Tuple[Tensor, dict]:
        """Non-saturating loss, and every ``g_reg_interval`` iterations the
        path-length regulariser at the iteration's ``size``."""
        losses = dict(loss_gen=F.softplus(-disc_pred_fake).mean())
        curr_iter = MessageHub.get_current_instance().get_info('iter')
        if self.g_reg_interval and curr_iter % self.g_reg_interval == 0:
            num = max(batch_size // self.pl_batch_shrink, 1)
            penalty, mean = path_length_penalty(self.generator, num, self.mean_path_length,
                                                size)
            self.mean_path_length.copy_(mean)
            losses['loss_path_regular'] = self.g_reg_weight * penalty
        return self.parse_losses(losses)
