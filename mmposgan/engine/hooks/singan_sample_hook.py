"""Write SinGAN sample grids as PNGs at the end of every stage."""
import os.path as osp
from typing import Sequence

from mmengine.dist import master_only
from mmengine.hooks import Hook

from mmposgan.apis.inference import save_image_grid
from mmposgan.registry import HOOKS
from mmposgan.utils.wrappers import unwrapped_module


@HOOKS.register_module()
class SinGANStageSampleHook(Hook):
    """After each SinGAN stage, save random samples at one or more sizes.

    Files: ``{work_dir}/{out_dir}/stage{NN}_{tag}.png`` where ``tag`` is
    ``recon`` (the reconstruction) or ``x{h}x{w}`` for each size scale, e.g.
    ``stage07_x1.0x1.5.png`` for 1.5x wider samples.

    Args:
        num_samples (int): Random samples per grid.
        size_scales (list): ``(height, width)`` scales to sample at.
        out_dir (str): Folder under the work dir.
        seed (int): Noise seed, so grids of different stages are comparable.
    """

    priority = 'LOW'

    def __init__(self, num_samples: int = 4, size_scales: Sequence = ((1.0, 1.0), (1.0, 1.5)),
                 out_dir: str = 'vis', seed: int = 0):
        self.num_samples = num_samples
        self.size_scales = [tuple(float(v) for v in s) for s in size_scales]
        self.out_dir = out_dir
        self.seed = seed
        self.written = []

    @master_only
    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None):
        model = unwrapped_module(runner.model)
        last = runner.iter + 1 == runner.max_iters
        if (runner.iter + 1) % model.stage_length != 0 and not last:
            return
        stage = model.curr_stage
        folder = osp.join(runner.work_dir, self.out_dir)
        path = osp.join(folder, f'stage{stage:02d}_recon.png')
        self.written.append(save_image_grid(model.sample(1, mode='recon'), path, nrow=1))
        for scale in self.size_scales:
            images = model.sample(self.num_samples, size_scale=scale, seed=self.seed)
            path = osp.join(folder, f'stage{stage:02d}_x{scale[0]:g}x{scale[1]:g}.png')
            self.written.append(save_image_grid(images, path, nrow=self.num_samples))
        runner.logger.info(f'stage {stage} samples written to {folder}')
