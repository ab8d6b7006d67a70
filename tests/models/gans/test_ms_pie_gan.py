"""MS-PIE StyleGAN2's training algorithm: each update runs at the size of its own batch."""
import os.path as osp

import torch
from mmagic.structures import DataSample
from mmengine import MessageHub
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper

from mmposgan.registry import MODELS
from ...conftest import REPO

TINY = osp.join(REPO, 'configs', 'ms_pie_stylegan2',
                'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')


def tiny_model_recording_sizes():
    """The tiny MS-PIE model, its optimizers and the (h, w) of every generator output."""
    cfg = Config.fromfile(TINY)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    sizes = []
    model.generator.register_forward_hook(
        lambda m, a, out: sizes.append(tuple((out['fake_img'] if isinstance(out, dict)
                                              else out).shape[-2:])))
    MessageHub.get_current_instance().update_info('iter', 0)  # R1 and path-length iteration
    return model, optim, sizes


def real_batch(model, size, num=2):
    return model.data_preprocessor(dict(inputs=dict(), data_samples=[
        DataSample(gt_img=torch.randint(0, 256, (3, *size)).float()) for _ in range(num)
    ]), True)


def test_generator_update_runs_at_the_size_of_its_batch():
    """``train_generator`` takes the iteration's size from the batch it is given, not
    from a value an earlier ``train_discriminator`` call left on the model."""
    model, optim, sizes = tiny_model_recording_sizes()
    for size in (48, 64):
        data = real_batch(model, (size, size))
        logs = model.train_generator(data['inputs'], data['data_samples'], optim['generator'])
        assert 'loss_path_regular' in logs
        assert sizes == [(size, size)] * 2  # the adversarial step and the path-length step
        sizes.clear()
    assert not hasattr(model, 'curr_size')


def test_updates_run_at_a_wide_batch_size():
    """Any size: a 32x64 batch trains D and G (with R1 and path length) at 32x64."""
    model, optim, sizes = tiny_model_recording_sizes()
    data = real_batch(model, (32, 64), num=4)
    d_logs = model.train_discriminator(data['inputs'], data['data_samples'],
                                       optim['discriminator'])
    g_logs = model.train_generator(data['inputs'], data['data_samples'], optim['generator'])
    assert (d_logs['scale'], d_logs['scale_width']) == (32.0, 64.0)
    assert 'loss_path_regular' in g_logs and all(torch.isfinite(torch.as_tensor(v))
                                                 for v in {**d_logs, **g_logs}.values())
    assert sizes == [(32, 64)] * 3  # D's fakes, G's adversarial step, path length
