"""PNG grids of a multi-scale generator at every training scale, from the same latents."""
import os.path as osp
from typing import Optional, Sequence

from mmengine.dist import master_only
from mmengine.hooks import Hook

from mmposgan.apis.inference import sample_multiscale, save_image_grid
from mmposgan.registry import HOOKS
from mmposgan.utils.size import size_name
from mmposgan.utils.wrappers import unwrapped_module
from ..training_scales import training_scales


@HOOKS.register_module()
class MultiScaleSampleHook(Hook):
    """Every ``interval`` iterations, sample fixed latents at each scale.

    Writes ``{work_dir}/{out_dir}/iter_{N}_{size}.png`` per scale (``{size}``
    is ``256`` or ``256x512``), the same
    latents in the same order (Fig. 6), from the EMA generator when there is
    one.

    Args:
        scales (list[int | tuple] | None): Output sizes, e.g. ``[256, 384,
            (256, 512)]``; None: the scales of the training
            ``MultiScaleBatchSampler``.
        interval (int): Iterations between grids (and after the last one).
        num_samples (int): Latents per grid.
        seed (int): Seed of the fixed latents.
        out_dir (str): Folder under the work dir.
    """

    priority = 'LOW'

    def __init__(self, scales: Optional[Sequence] = None, interval: int = 5000,
                 num_samples: int = 8, seed: int = 0, out_dir: str = 'vis'):
        self.scales = None if scales is None else list(scales)
        self.interval, self.num_samples, self.seed, self.out_dir = (interval, num_samples, seed,
                                                                    out_dir)

    def before_train(self, runner):
        if self.scales is None:
            self.scales = training_scales(runner, 'MultiScaleSampleHook')

    @master_only
    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None):
        last = runner.iter + 1 == runner.max_iters
        if not (self.every_n_train_iters(runner, self.interval) or last):
            return
        model = unwrapped_module(runner.model)
        grids = sample_multiscale(model, self.num_samples, self.scales, seed=self.seed)
        folder = osp.join(runner.work_dir, self.out_dir)
        for size, images in grids.items():
            path = osp.join(folder, f'iter_{runner.iter + 1}_{size_name(size)}.png')
            save_image_grid(images, path, nrow=self.num_samples)
        runner.logger.info(f'multi-scale samples written to {folder}')
