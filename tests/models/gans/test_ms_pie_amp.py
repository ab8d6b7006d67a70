"""``--amp`` autocasts MS-PIE training (mmagic's StyleGAN2.train_step did not: issue 13).

mmengine's ``AmpOptimWrapper`` refuses to be built without a GPU; these tests
let it think one is there, so its bfloat16 autocast runs on the CPU, where it
behaves as on a GPU for this purpose (the loss scaler disables itself).
"""
import mmengine.optim.optimizer.amp_optimizer_wrapper as amp_module
import pytest
import torch
from mmagic.structures import DataSample
from mmengine.config import Config
from mmengine.optim import AmpOptimWrapper, build_optim_wrapper
from torch import nn

from mmposgan.registry import MODELS
from ...helpers.tools import load_tool
from .test_ms_pie_gan import TINY, tiny_model_recording_sizes


@pytest.fixture
def amp_on_cpu(monkeypatch):
    monkeypatch.setattr(amp_module, 'is_cuda_available', lambda: True)
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)  # autocast on the CPU
    import warnings
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='.*GradScaler.*')
        yield


def _batch(size, num=4):
    """A loader batch (what ``train_step`` preprocesses) of ``num`` images of ``size``."""
    return dict(inputs=dict(), data_samples=[
        DataSample(gt_img=torch.randint(0, 256, (3, *size)).float()) for _ in range(num)])


def _conv_output_dtypes(net):
    """The dtype of every convolution output of ``net`` from now on."""
    seen = []
    for module in net.modules():  # ModulatedConv2dPE (G), EqualConv2d (D), nn.Conv2d
        if isinstance(module, nn.Conv2d) or 'Conv2d' in type(module).__name__:
            module.register_forward_hook(lambda m, a, out: seen.append(out.dtype)
                                         if torch.is_tensor(out) else None)
    return seen


def test_train_tool_amp_autocasts_both_updates_to_bfloat16(amp_on_cpu):
    cfg = Config.fromfile(TINY)
    load_tool('train.py').use_amp(cfg)
    model, _, _ = tiny_model_recording_sizes()
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    assert all(isinstance(w, AmpOptimWrapper) and w.cast_dtype == torch.bfloat16
               for w in optim.values())
    gen_dtypes = _conv_output_dtypes(model.generator)
    disc_dtypes = _conv_output_dtypes(model.discriminator)
    logs = model.train_step(_batch((32, 32)), optim)
    assert 'loss_path_regular' in logs and 'loss_r1_gp' in logs  # the iteration regularises
    assert all(torch.isfinite(torch.as_tensor(v)) for v in logs.values())
    assert torch.bfloat16 in gen_dtypes and torch.bfloat16 in disc_dtypes
    assert all(p.dtype == torch.float32 for p in model.parameters())  # weights stay float32


def test_float16_autocast_is_refused_naming_the_wrapper(amp_on_cpu):
    cfg = Config.fromfile(TINY)
    load_tool('train.py').use_amp(cfg)
    cfg.optim_wrapper.discriminator.dtype = 'float16'
    model = MODELS.build(cfg.model)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    with pytest.raises(ValueError, match="'discriminator' is an AmpOptimWrapper with "
                       'dtype=torch.float16'):
        model.train_step(_batch((32, 32)), optim)
