"""MS-PIE StyleGAN2's training algorithm: each update runs at the size of its own batch."""
import os.path as osp

import torch
from mmagic.structures import DataSample
from mmengine import MessageHub
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper

from mmposgan.registry import MODELS

from ..conftest import REPO

TINY = osp.join(REPO, 'configs', 'ms_pie_stylegan2',
                'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')


def test_generator_update_runs_at_the_size_of_its_batch():
    """``train_generator`` takes the iteration's size from the batch it is given, not
    from a value an earlier ``train_discriminator`` call left on the model."""
    cfg = Config.fromfile(TINY)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    sizes = []
    model.generator.register_forward_hook(
        lambda m, a, out: sizes.append((out['fake_img'] if isinstance(out, dict) else out)
                                       .shape[-1]))
    MessageHub.get_current_instance().update_info('iter', 0)  # a path-length iteration
    for size in (48, 64):
        data = model.data_preprocessor(dict(inputs=dict(), data_samples=[
            DataSample(gt_img=torch.randint(0, 256, (3, size, size)).float()) for _ in range(2)
        ]), True)
        logs = model.train_generator(data['inputs'], data['data_samples'], optim['generator'])
        assert 'loss_path_regular' in logs
        assert sizes == [size, size]  # the adversarial step and the path-length step
        sizes.clear()
    assert not hasattr(model, 'curr_size')
