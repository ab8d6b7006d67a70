"""PNG grids of a multi-scale generator at every training scale, from the same latents."""
import os.path as osp
from typing import Optional, Sequence

import torch
from mmengine.dist import master_only
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmposgan.apis.inference import save_image_grid
from mmposgan.registry import HOOKS


@HOOKS.register_module()
class MultiScaleSampleHook(Hook):
    """Every ``interval`` iterations, sample fixed latents at each scale.

    Writes ``{work_dir}/{out_dir}/iter_{N}_{size}.png`` per scale, the same
    latents in the same order (Fig. 6), from the EMA generator when there is
    one.

    Args:
        scales (list[int] | None): Output sizes, e.g. ``[256, 384, 512]``;
            None: the scales of the training ``MultiScaleBatchSampler``.
        interval (int): Iterations between grids (and after the last one).
        num_samples (int): Latents per grid.
        seed (int): Seed of the fixed latents.
        out_dir (str): Folder under the work dir.
    """

    priority = 'LOW'

    def __init__(self, scales: Optional[Sequence[int]] = None, interval: int = 5000,
                 num_samples: int = 8, seed: int = 0, out_dir: str = 'vis'):
        self.scales = None if scales is None else [int(s) for s in scales]
        self.interval, self.num_samples, self.seed, self.out_dir = (interval, num_samples, seed,
                                                                    out_dir)
        self._latents: Optional[torch.Tensor] = None

    def before_train(self, runner):
        if self.scales is None:
            sampler = getattr(runner.train_dataloader, 'batch_sampler', None)
            schedule = getattr(sampler, 'schedule', None)
            if schedule is None:
                raise ValueError('MultiScaleSampleHook(scales=None) needs a MultiScaleBatchSampler')
            self.scales = sorted({h for h, _ in schedule.scales})

    @master_only
    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None):
        last = runner.iter + 1 == runner.max_iters
        if not (self.every_n_train_iters(runner, self.interval) or last):
            return
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        generator = model.generator_ema if getattr(model, 'with_ema_gen', False) else model.generator
        generator = generator.module if is_model_wrapper(generator) else generator
        if self._latents is None:
            gen = torch.Generator().manual_seed(self.seed)
            self._latents = torch.randn(self.num_samples, model.noise_size, generator=gen)
        was_training = generator.training
        generator.eval()
        device = next(generator.parameters()).device
        with torch.no_grad():
            for size in self.scales:
                state = torch.random.get_rng_state()
                torch.manual_seed(self.seed)  # same injected noise at each scale
                images = generator(self._latents.to(device), size=size)
                torch.random.set_rng_state(state)
                path = osp.join(runner.work_dir, self.out_dir, f'iter_{runner.iter + 1}_{size}.png')
                save_image_grid(images, path, nrow=self.num_samples)
        generator.train(was_training)
        runner.logger.info(f'multi-scale samples written to {osp.dirname(path)}')
