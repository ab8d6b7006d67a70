"""CPU and CUDA agree on every registered generator and discriminator (float32).

Each network is built from a config of the repository (small sizes where the config is a
full-size one), copied to the GPU with the same weights, and run on the same inputs with
TF32 off.  Tolerance: relative L2 error ``||cuda - cpu|| / ||cpu||`` at most ``RTOL`` for
the output, the input gradient and every parameter gradient (float32 sums in another
order: about 1e-6 is typical; 1e-4 leaves room for deep stacks, and a wrong kernel or a
missed cast is off by far more).
"""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from mmposgan.registry import MODELS
from ..conftest import REPO

RTOL = 1e-4
CFG = osp.join(REPO, 'configs')
TINY_MSPIE = osp.join(CFG, 'ms_pie_stylegan2',
                      'mspie-stylegan2_spe-expand_pad_tiny_1xb4-4iters_folder-32-64.py')
DCGAN = osp.join(CFG, 'padding_study', 'dcgan-wgangp_interp-pad-spe_1xb32-1kiters_digits-32.py')
PGGAN = osp.join(CFG, 'padding_study', 'pggan_interp-pad-spe_8xb4-12Mimgs_celeba-cropped-128.py')
SINGAN = osp.join(CFG, 'pe_singan', 'singan_interp-pad_spe-8ch_disc-nobn_1xb1_balloons.py')
SINGAN_BN = osp.join(CFG, 'pe_singan', 'singan_spe-8ch_1xb1_balloons.py')
SINGAN_SIZES = [(25, 33), (33, 44)]


def net_cfg(path, key, **overrides):
    cfg = Config.fromfile(path).model[key]
    cfg.update(overrides)
    return cfg


def stylegan2_gen_inputs(net, size):
    g = torch.Generator().manual_seed(1)
    return (torch.randn(2, net.style_channels, generator=g), ), dict(size=size, add_noise=False)


def image_inputs(size, batch=4):
    def inputs(net, _):
        g = torch.Generator().manual_seed(2)
        return (torch.randn(batch, 3, *size, generator=g), ), {}
    return inputs


def noise_inputs(**kwargs):
    def inputs(net, _):
        g = torch.Generator().manual_seed(3)
        return (torch.randn(2, net.noise_size, generator=g), ), dict(kwargs)
    return inputs


def singan_gen_inputs(net, _):
    noises = net.make_fixed_noises(SINGAN_SIZES, generator=torch.Generator().manual_seed(4))
    return (None, noises, [1.0, 0.1], 'recon', 1), {}


def singan_disc_inputs(net, _):
    g = torch.Generator().manual_seed(5)
    return (torch.randn(1, 3, *SINGAN_SIZES[1], generator=g), 1), {}


SINGAN_SMALL = dict(num_scales=1, base_channels=8, min_feat_channels=8)
# registered name -> (config, model key, overrides, inputs(net, arg), args of the cases)
CASES = {
    'PositionalStyleGAN2Generator': (TINY_MSPIE, 'generator', {}, stylegan2_gen_inputs,
                                     [32, 48, 64]),
    'MultiScaleStyleGAN2Discriminator': (TINY_MSPIE, 'discriminator', {}, None, [32, 48, 64]),
    'PaddingStudyDCGANGenerator': (DCGAN, 'generator', {}, noise_inputs(), [None]),
    'PaddingStudyDCGANDiscriminator': (DCGAN, 'discriminator', {}, image_inputs((32, 32)),
                                       [None]),
    'PaddingStudyPGGANGenerator': (PGGAN, 'generator',
                                   dict(out_scale=32, max_channels=32, noise_size=64),
                                   noise_inputs(curr_scale=32, transition_weight=0.5), [None]),
    'PositionalSinGANGenerator': (SINGAN, 'generator', SINGAN_SMALL, singan_gen_inputs,
                                  [None]),
    'PositionalSinGANDiscriminator': (SINGAN_BN, 'discriminator', SINGAN_SMALL,
                                      singan_disc_inputs, [None]),
}


def registered_networks():
    import mmposgan.models  # noqa: F401
    return {name for name in MODELS.module_dict
            if name.endswith(('Generator', 'Discriminator'))}


def test_every_registered_network_has_a_cuda_case():
    """Runs on the CPU too: a new or renamed network must get a case here."""
    assert registered_networks() == set(CASES)


def relative_error(a, b):
    return float((a.double() - b.double()).norm() / b.double().norm().clamp_min(1e-30))


def to_device(arg, device):
    if isinstance(arg, torch.Tensor):
        return arg.to(device)
    if isinstance(arg, list):
        return [to_device(a, device) for a in arg]
    return arg


def run(net, args, kwargs, device):
    """Output, and the gradients of a fixed random projection of it."""
    net = net.to(device)
    args = [to_device(a, device) for a in args]
    x = args[0]
    if isinstance(x, torch.Tensor):  # a leaf on this device, so that its gradient is kept
        args[0] = x = x.detach().requires_grad_(True)
    out = net(*args, **kwargs)
    out = out['fake_img'] if isinstance(out, dict) else out
    proj = torch.randn(out.shape, generator=torch.Generator().manual_seed(6)).to(device)
    (out * proj).sum().backward()
    grads = {n: p.grad.detach().cpu() for n, p in net.named_parameters() if p.grad is not None}
    if isinstance(x, torch.Tensor):
        grads['<input>'] = x.grad.detach().cpu()
    return out.detach().cpu(), grads


@pytest.mark.cuda
@pytest.mark.parametrize('name,arg', [(n, a) for n, c in CASES.items() for a in c[4]])
def test_cpu_and_cuda_agree_in_float32(name, arg):
    path, key, overrides, inputs, _ = CASES[name]
    torch.manual_seed(0)
    cpu_net = MODELS.build(net_cfg(path, key, **overrides)).train()
    assert type(cpu_net).__name__ == name
    cuda_net = copy.deepcopy(cpu_net)
    inputs = inputs or image_inputs((arg, arg))
    args, kwargs = inputs(cpu_net, arg)
    tf32 = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32
    torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = False
    try:
        out_cpu, grads_cpu = run(cpu_net, args, kwargs, 'cpu')
        out_cuda, grads_cuda = run(cuda_net, args, kwargs, 'cuda')
    finally:
        torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = tf32
    assert out_cuda.shape == out_cpu.shape
    assert relative_error(out_cuda, out_cpu) <= RTOL
    assert grads_cpu.keys() == grads_cuda.keys() and len(grads_cpu) > 1
    # a gradient that is zero in exact arithmetic (a conv bias followed by batch norm) is
    # rounding noise on both devices: measure it against the largest gradient's norm
    floor = 1e-5 * max(float(g.double().norm()) for g in grads_cpu.values())
    errors = {k: float((grads_cuda[k].double() - grads_cpu[k].double()).norm())
              / max(float(grads_cpu[k].double().norm()), floor) for k in grads_cpu}
    worst = max(errors, key=errors.get)
    assert errors[worst] <= RTOL, f'{worst}: {errors[worst]:.2e}'
