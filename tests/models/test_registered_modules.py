"""One tester for every module registered in mmposgan's ``MODELS`` registry.

As the diffusers model tester: each registered module is built by its registry name from a
small config (:data:`CASES`), and the same properties are checked for all of them:

* the name builds that class, and a module without a case here fails
  :func:`test_every_registered_module_has_a_case` (new modules are covered by adding one);
* ``state_dict`` round trip: loaded strictly into a fresh instance built under another
  seed, it gives the same outputs (parameters, buffers and, for the GANs, training state);
* determinism: the same seed builds and runs to the same outputs;
* ``.double()`` gives float64 outputs, and outputs follow the module to the ``meta`` device;
* a bad argument raises ``ValueError`` (constructor keywords, or a call the module's
  interface takes, for modules without constructor arguments).

Exemptions are written into the case with their reason (``exempt``).
"""
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional

import pytest
import torch

from mmposgan.registry import MODELS

# ----------------------------------------------------------------------------------------
# example inputs: drawn from a fixed generator, in the module's dtype and on its device


def randn(*shape, like: torch.nn.Module = None, dtype=None, device=None, seed=0):
    """Standard normal example input, the same numbers on every device and dtype."""
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    return x.to(dtype=dtype or torch.float32, device=device or 'cpu')


@dataclass
class Case:
    """How the tester builds and runs one registered module.

    Args:
        kwargs: Minimal constructor keywords (tiny sizes).
        run: ``run(module, dtype, device) -> Tensor``: the module on example inputs.
        bad: Constructor keywords (merged into ``kwargs``) that must raise ``ValueError``.
        bad_call: For modules without constructor arguments: ``bad_call(module)`` must raise
            ``ValueError`` (a bad argument of the module's own interface).
        exempt: Check name (``'double'``, ``'double_values'``, ``'meta'``,
            ``'bad_argument'``) -> why it does not apply.
    """

    kwargs: Dict[str, Any]
    run: Callable[..., torch.Tensor]
    bad: Optional[Dict[str, Any]] = None
    bad_call: Optional[Callable[[torch.nn.Module], Any]] = None
    exempt: Dict[str, str] = field(default_factory=dict)


def image_run(shape):
    def run(m, dtype, device):
        return m(randn(*shape, dtype=dtype, device=device))
    return run


def head_run(size=(5, 7)):
    def run(m, dtype, device):
        return m(2, size)
    return run


def padding_run(out_size=(6, 8), shrink=2):
    """A padding mode's whole job: upsample a 3x4 map and prepare the border of a stack."""
    def run(m, dtype, device):
        return m.prepare(randn(1, 2, 3, 4, dtype=dtype, device=device), out_size, shrink)
    return run


def conv_upsampling_run(padding='ZeroPadConv', border=1):
    """A ConvUpsampling: a 2x4x3x3 weight applied to a 1x4x3x4 map, upsampled 2x."""
    def run(m, dtype, device):
        from mmposgan.models.layers import build_padding
        x = randn(1, 4, 3, 4, dtype=dtype, device=device)
        weight = randn(2, 4, 3, 3, dtype=dtype, device=device, seed=1)
        return m(x, weight, build_padding(padding), border)
    return run


def stylegan2_generator_run(size=(16, 24)):
    def run(m, dtype, device):
        z = randn(2, m.style_channels, dtype=dtype, device=device)
        return m(z, size=size, add_noise=True)  # noise from the global seed
    return run


def noise_run(**kwargs):
    def run(m, dtype, device):
        out = m(randn(2, m.noise_size, dtype=dtype, device=device), **kwargs)
        return out['fake_img'] if isinstance(out, dict) else out
    return run


SINGAN_SIZES = [(6, 8), (8, 11)]


def singan_generator_run(m, dtype, device):
    noises = [n.to(dtype=dtype, device=device) for n in
              m.make_fixed_noises(SINGAN_SIZES, generator=torch.Generator().manual_seed(4))]
    return m(None, noises, [1.0, 0.1], 'rand', 1, num_batches=2)


def ms_pie_gan_run(m, dtype, device):
    z = randn(2, m.noise_size, dtype=dtype, device=device)
    samples = m(dict(noise=z, sample_model='orig', sample_kwargs=dict(size=(8, 12))))
    return torch.stack([s.fake_img for s in samples])


def pe_singan_state(m, seed=7, noise_weight=1.0):
    """A PositionalSinGAN that has trained stage 0 (its state set as training leaves it)."""
    if not m.fixed_noises:
        m.fixed_noises = m.gen.make_fixed_noises(SINGAN_SIZES[:1],
                                                 generator=torch.Generator().manual_seed(seed))
        m.noise_weights = [noise_weight]
        m.curr_stage = 0
    return m


def pe_singan_run(m, dtype, device):
    return pe_singan_state(m).sample(num_samples=2, seed=3)


TINY_CHANNELS = {4: 8, 8: 8, 16: 4, 32: 4}
STYLEGAN2_GEN = dict(type='PositionalStyleGAN2Generator', out_size=16, style_channels=8,
                     num_mlps=1, channels=TINY_CHANNELS,
                     head=dict(type='SinusoidalEncoding2d', resize='expand'))
STYLEGAN2_DISC = dict(type='MultiScaleStyleGAN2Discriminator', in_size=16,
                      channels=TINY_CHANNELS, mbstd_group=2)
SINGAN_GEN = dict(type='PositionalSinGANGenerator', num_scales=1, num_layers=3,
                  base_channels=4, min_feat_channels=4,
                  head=dict(type='SinusoidalEncoding2d', out_channels=4))
SINGAN_DISC = dict(type='PositionalSinGANDiscriminator', num_scales=1, num_layers=3,
                   base_channels=4, min_feat_channels=4)
NO_ARGUMENT = 'takes no constructor argument'
DRAWS = 'draws its noise in its own dtype: a float64 run is another sample'

# registered name -> Case
CASES = {
    # padding modes (their forward is ``prepare``)
    'ZeroPadConv': Case({}, padding_run(), bad_call=lambda m: m.conv_padding(2),
                        exempt=dict(bad_argument=NO_ARGUMENT + ' (bad_call: an even kernel)')),
    'ZeroPadInput': Case({}, padding_run(), bad_call=lambda m: m.conv_padding(2),
                         exempt=dict(bad_argument=NO_ARGUMENT + ' (bad_call: an even kernel)')),
    'InterpPad': Case(dict(mode='bicubic'), padding_run(), bad=dict(mode='nearest')),
    'PerConvInterpPad': Case({}, padding_run(), bad=dict(mode='area')),
    'NoPad': Case({}, padding_run(), bad_call=lambda m: m.output_size(4, 2),
                  exempt=dict(bad_argument=NO_ARGUMENT + ' (bad_call: a map too small)')),
    'CircularPad': Case(dict(axes='x'), padding_run(), bad=dict(axes='z')),
    'CircularInterpPad': Case(dict(axes='y'), padding_run(), bad=dict(mode='nearest')),
    # input heads
    'LearnableConstant': Case(dict(out_channels=3, base_size=(2, 3)), head_run(),
                              bad=dict(resize='expand')),
    'CartesianGrid2d': Case(dict(base_size=(3, 5)), head_run(), bad=dict(resize='stretch')),
    'SinusoidalEncoding2d': Case(dict(out_channels=8, base_size=3), head_run(),
                                 bad=dict(out_channels=6)),
    'PeriodicEncoding2d': Case(dict(out_channels=8, axes='xy'), head_run(), bad=dict(axes='z')),
    'MMagicSinusoidalEncoding2d': Case(dict(out_channels=8, base_size=3), head_run(),
                                       bad=dict(out_channels=10)),
    'MMagicCartesianGrid2d': Case(dict(base_size=(3, 5), resize='expand'), head_run(),
                                  bad=dict(resize='periodic')),
    # upsampling
    'TransposedConvUp': Case({}, conv_upsampling_run(), bad=dict(blur_kernel=(1, ))),
    'BilinearThenConv': Case({}, conv_upsampling_run('InterpPad', border=2),
                             bad_call=lambda m: m(randn(1, 4, 3, 4), randn(2, 4, 2, 2),
                                                  MODELS.build(dict(type='ZeroPadConv')), 1),
                             exempt=dict(bad_argument=NO_ARGUMENT + ' (bad_call: an even '
                                         'kernel)')),
    'ConvThenBilinear': Case({}, conv_upsampling_run(),
                             bad_call=lambda m: m.check(MODELS.build(dict(type='NoPad'))),
                             exempt=dict(bad_argument=NO_ARGUMENT + ' (bad_call: a padding '
                                         'mode it cannot work with)')),
    'FIRUpsample': Case(dict(taps=(1, 2, 1)), image_run((1, 2, 3, 4)), bad=dict(taps=(1, ))),
    'CircularFIRUpsample': Case(dict(axes='x'), image_run((1, 2, 3, 4)), bad=dict(axes='yx')),
    'BilinearUpsample': Case({}, image_run((1, 2, 3, 4)),
                             bad_call=lambda m: m.check(MODELS.build(dict(type='CircularPad'))),
                             exempt=dict(bad_argument=NO_ARGUMENT + ' (bad_call: a padding '
                                         'mode that wraps)')),
    'CircularBilinearUpsample': Case(dict(axes='xy'), image_run((1, 2, 3, 4)),
                                     bad=dict(axes='')),
    'UpsampleConv2d': Case(dict(in_channels=2, out_channels=3, padding='InterpPad'),
                           image_run((1, 2, 3, 4)), bad=dict(kernel_size=4)),
    'ModulatedConv2dPE': Case(
        dict(in_channels=2, out_channels=3, kernel_size=3, style_channels=4,
             upsample='BilinearThenConv', padding='InterpPad'),
        lambda m, dtype, device: m(randn(2, 2, 3, 4, dtype=dtype, device=device),
                                   randn(2, 4, dtype=dtype, device=device, seed=1)),
        bad=dict(upsample='TransposedConvUp')),
    # noise maps: strategy objects without tensors
    'SharedNoise': Case({}, lambda m, dtype, device: torch.tensor(m.num_maps(3)), exempt=dict(
        bad_argument=NO_ARGUMENT, double='no tensor: says how many noise maps to draw',
        meta='no tensor: says how many noise maps to draw')),
    'PerChannelNoise': Case({}, lambda m, dtype, device: torch.tensor(m.num_maps(3)), exempt=dict(
        bad_argument=NO_ARGUMENT, double='no tensor: says how many noise maps to draw',
        meta='no tensor: says how many noise maps to draw')),
    # networks
    'PositionalStyleGAN2Generator': Case(
        {k: v for k, v in STYLEGAN2_GEN.items() if k != 'type'}, stylegan2_generator_run(),
        bad=dict(out_size=24)),
    'MultiScaleStyleGAN2Discriminator': Case(
        {k: v for k, v in STYLEGAN2_DISC.items() if k != 'type'}, image_run((2, 3, 16, 24)),
        bad=dict(in_size=12)),
    'PaddingStudyDCGANGenerator': Case(
        dict(out_size=16, noise_size=4, base_channels=8, padding='InterpPad',
             head=dict(type='SinusoidalEncoding2d')), noise_run(), bad=dict(base_channels=6)),
    'PaddingStudyDCGANDiscriminator': Case(
        dict(in_size=16, base_channels=4, max_channels=8), image_run((2, 3, 16, 16)),
        bad=dict(norm_cfg=dict(type='BN'))),
    'PaddingStudyPGGANGenerator': Case(
        dict(noise_size=8, out_scale=16, max_channels=8, padding='InterpPad'),
        noise_run(curr_scale=16, transition_weight=0.5), bad=dict(padding='NoPad')),
    'PositionalSinGANGenerator': Case({k: v for k, v in SINGAN_GEN.items() if k != 'type'},
                                      singan_generator_run, bad=dict(padding='NoPad'),
                                      exempt=dict(double_values=DRAWS)),
    'PositionalSinGANDiscriminator': Case(
        {k: v for k, v in SINGAN_DISC.items() if k != 'type'},
        lambda m, dtype, device: m(randn(1, 3, 8, 11, dtype=dtype, device=device), 1),
        bad=dict(padding='InterpPad')),
    # training algorithms
    'MultiScaleStyleGAN2': Case(
        dict(generator=STYLEGAN2_GEN, discriminator=STYLEGAN2_DISC,
             data_preprocessor=dict(type='DataPreprocessor')),
        ms_pie_gan_run, bad=dict(loss_config=dict(r1_intervall=2))),
    'PositionalSinGAN': Case(
        dict(generator=SINGAN_GEN, discriminator=SINGAN_DISC,
             data_preprocessor=dict(type='DataPreprocessor', non_image_keys=['input_sample']),
             iters_per_scale=2),
        pe_singan_run, bad=dict(iters_per_scale=0),
        exempt=dict(double_values=DRAWS, meta='its stage and noise weights are buffers read as '
                    'Python numbers, which a meta tensor does not have')),
}


def registered_names():
    import mmposgan.models  # noqa: F401
    import mmposgan.models.gans  # noqa: F401
    return sorted(MODELS.module_dict)


def build(name, seed=0, **overrides):
    torch.manual_seed(seed)
    return MODELS.build(dict(type=name, **{**CASES[name].kwargs, **overrides}))


def output(name, module, seed=0, dtype=torch.float32, device='cpu'):
    torch.manual_seed(seed)
    module.eval()
    with torch.no_grad():
        return CASES[name].run(module, dtype, device)


def test_every_registered_module_has_a_case():
    """A module registered in mmposgan's MODELS without a case here fails: add one."""
    assert registered_names() == sorted(CASES)


NAMES = sorted(CASES)


@pytest.mark.parametrize('name', NAMES)
def test_built_by_its_registry_name(name):
    module = build(name)
    assert type(module) is MODELS.get(name)
    assert type(module).__name__ == name


@pytest.mark.parametrize('name', NAMES)
def test_state_dict_round_trip_gives_equal_outputs(name):
    module = build(name, seed=0)
    fresh = build(name, seed=1)
    if name == 'PositionalSinGAN':  # a state the fresh one would not draw by itself
        pe_singan_state(module, seed=8, noise_weight=0.5)
    fresh.load_state_dict(module.state_dict(), strict=True)
    assert fresh.state_dict().keys() == module.state_dict().keys()
    torch.testing.assert_close(output(name, fresh, seed=2), output(name, module, seed=2),
                               rtol=0, atol=0)


@pytest.mark.parametrize('name', NAMES)
def test_deterministic_under_a_seed(name):
    a, b = output(name, build(name, seed=3), seed=4), output(name, build(name, seed=3), seed=4)
    torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert torch.isfinite(a.float()).all()


@pytest.mark.parametrize('name', NAMES)
def test_double_gives_float64_outputs(name):
    if 'double' in CASES[name].exempt:
        pytest.skip(CASES[name].exempt['double'])
    out32 = output(name, build(name, seed=5), seed=6)
    out64 = output(name, build(name, seed=5).double(), seed=6, dtype=torch.float64)
    assert out64.dtype == torch.float64
    if 'double_values' not in CASES[name].exempt:
        torch.testing.assert_close(out64.float(), out32, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('name', NAMES)
def test_outputs_follow_the_module_to_the_meta_device(name):
    if 'meta' in CASES[name].exempt:
        pytest.skip(CASES[name].exempt['meta'])
    module = build(name).to('meta')
    out = output(name, module, device='meta')
    assert out.device.type == 'meta'
    assert out.shape == output(name, build(name)).shape


@pytest.mark.parametrize('name', NAMES)
def test_bad_argument_raises_value_error(name):
    case = CASES[name]
    if case.bad is not None:
        with pytest.raises(ValueError):
            build(name, **case.bad)
        return
    assert 'bad_argument' in case.exempt, f'{name}: give bad constructor keywords'
    if case.bad_call is None:
        pytest.skip(case.exempt['bad_argument'])
    with pytest.raises(ValueError):
        case.bad_call(build(name))
