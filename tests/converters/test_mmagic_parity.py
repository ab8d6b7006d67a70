"""Converted mmagic checkpoints give mmagic's outputs (paper Tab. 5, §4.4).

For every released setting, mmagic's own modules are built from mmagic's
released config (sizes reduced: 32 px, 16-d styles, small channel table;
same head, padding, upsampling, channel multiplier, scale offsets), given
random weights and saved in mmagic's checkpoint layout; the checkpoint is
converted, loaded with ``strict=True`` into the model our release config
builds, and both produce images from the same latents and noise at every
scale the setting trains at.  No network: nothing is downloaded.
"""
import copy
import os.path as osp

import mmagic
import pytest
import torch
from mmagic.models.editors.mspie import MSStyleGAN2Discriminator, MSStyleGANv2Generator
from mmengine import Config
from mmengine.registry import init_default_scope

from mmposgan.converters import convert_mmagic_checkpoint, detect_layout
from mmposgan.registry import MODELS

MMAGIC_CFG = osp.join(osp.dirname(mmagic.__file__), '.mim', 'configs',
                      'positional_encoding_in_gans')
OURS = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'ms_pie_stylegan2')
TOL = dict(atol=2e-5, rtol=1e-5)

#: mmagic released config -> our release config (Tab. 5 rows c-k, 256-896, 256-1024)
TAB5 = {
    'c': ('mspie-stylegan2-config-c_c2_8xb3-1100kiters_ffhq-256-512',
          'mspie-stylegan2-release_constant-interp_pad_c2_8xb3-1100kiters_ffhq-256-512'),
    'd': ('mspie-stylegan2-config-d_c2_8xb3-1100kiters_ffhq-256-512',
          'mspie-stylegan2-release_csg-interp_pad_c2_8xb3-1100kiters_ffhq-256-512'),
    'e': ('mspie-stylegan2-config-e_c2_8xb3-1100kiters_ffhq-256-512',
          'mspie-stylegan2-release_spe-interp_pad_c2_8xb3-1100kiters_ffhq-256-512'),
    'f': ('mspie-stylegan2-config-f_c2_8xb3-1100kiters_ffhq-256-512',
          'mspie-stylegan2-release_spe-expand_pad_c2_8xb3-1100kiters_ffhq-256-512'),
    'g': ('mspie-stylegan2-config-g_c1_8xb3-1100kiters_ffhq-256-512',
          'mspie-stylegan2-release_spe-expand_pad_c1_8xb3-1100kiters_ffhq-256-512'),
    'h': ('mspie-stylegan2-config-h_c2_8xb3-1100kiters_ffhq-256-512',
          'mspie-stylegan2-release_constant-interp_nopad_c2_8xb3-1100kiters_ffhq-256-512'),
    'i': ('mspie-stylegan2-config-i_c2_8xb3-1100kiters_ffhq-256-512',
          'mspie-stylegan2-release_csg-interp_nopad_c2_8xb3-1100kiters_ffhq-256-512'),
    'j': ('mspie-stylegan2-config-j_c2_8xb3-1100kiters_ffhq-256-512',
          'mspie-stylegan2-release_spe-interp_nopad_c2_8xb3-1100kiters_ffhq-256-512'),
    'k': ('mspie-stylegan2-config-k_c2_8xb3-1100kiters_ffhq-256-512',
          'mspie-stylegan2-release_spe-expand_nopad_c2_8xb3-1100kiters_ffhq-256-512'),
    'f-896': ('mspie-stylegan2-config-f_c2_8xb3-1100kiters_ffhq-256-896',
              'mspie-stylegan2-release_spe-expand_pad_c2_8xb3-1100kiters_ffhq-256-896'),
    'f-1024': ('mspie-stylegan2-config-f_c1_8xb2-1600kiters_ffhq-256-1024',
               'mspie-stylegan2-release_spe-expand_pad_c1_8xb2-1500kiters_ffhq-256-1024'),
}
OUT_SIZE, STYLE, D_SIZE = 32, 16, 8


def small_channels(multiplier):
    """The StyleGAN2 table shrunk; the last entry scales with the multiplier
    as the >= 64 px entries of the real table do."""
    return {4: 16, 8: 16, 16: 8, 32: 4 * multiplier}


def small_mmagic_generator(channels, **kwargs):
    """mmagic's generator with a small channel table (it hard-codes 512 up to 32 px)."""

    class Small(MSStyleGANv2Generator):
        def __setattr__(self, name, value):
            super().__setattr__(name, dict(channels) if name == 'channels' else value)

    return Small(**kwargs)


def randomize(module, seed):
    """Random weights, including the zero-initialised biases and noise strengths."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * (0.2 if p.dim() == 1 else 1.0))
    return module


def build_pair(letter):
    """(mmagic G, mmagic G_ema, mmagic D, our model, scale offsets) for a Tab. 5 row."""
    theirs_cfg = Config.fromfile(osp.join(MMAGIC_CFG, TAB5[letter][0] + '.py')).model
    ours_cfg = Config.fromfile(osp.join(OURS, TAB5[letter][1] + '.py')).model
    g_kwargs = copy.deepcopy(theirs_cfg.generator.to_dict())
    g_kwargs.pop('type')
    multiplier = g_kwargs.get('channel_multiplier', 2)
    channels = small_channels(multiplier)
    g_kwargs.update(out_size=OUT_SIZE, style_channels=STYLE, num_mlps=2)
    if (g_kwargs.get('head_pos_encoding') or {}).get('type') == 'SPE':
        g_kwargs['head_pos_encoding']['embedding_dim'] = channels[4] // 2
    d_kwargs = copy.deepcopy(theirs_cfg.discriminator.to_dict())
    d_kwargs.pop('type')
    d_kwargs['in_size'] = D_SIZE
    gen = randomize(small_mmagic_generator(channels, **g_kwargs), 1).eval()
    ema = randomize(small_mmagic_generator(channels, **g_kwargs), 2).eval()
    disc = randomize(MSStyleGAN2Discriminator(**d_kwargs), 3).eval()

    ours_cfg.generator.update(out_size=OUT_SIZE, style_channels=STYLE, num_mlps=2,
                              channels=channels)
    if ours_cfg.generator.head.type != 'LearnableConstant':
        ours_cfg.generator.head.pop('out_channels', None)
        if ours_cfg.generator.head.type == 'MMagicSinusoidalEncoding2d':
            ours_cfg.generator.head.out_channels = channels[4]
    else:
        ours_cfg.generator.head.out_channels = channels[4]
    ours_cfg.discriminator.update(in_size=D_SIZE)
    assert ours_cfg.discriminator.channel_multiplier == d_kwargs.get('channel_multiplier', 2)
    init_default_scope('mmposgan')
    model = MODELS.build(ours_cfg).eval()
    scales = theirs_cfg.train_settings.multi_input_scales
    return gen, ema, disc, model, scales


def mmagic_checkpoint(gen, ema, disc):
    """What mmagic's ``MSPIEStyleGAN2`` saves (EMA wrapped in ``.module``)."""
    sd = {f'generator.{k}': v for k, v in gen.state_dict().items()}
    sd.update({f'generator_ema.module.{k}': v for k, v in ema.state_dict().items()})
    sd['generator_ema.steps'] = torch.tensor(7)
    sd.update({f'discriminator.{k}': v for k, v in disc.state_dict().items()})
    return dict(meta=dict(epoch=0, iter=7), state_dict=sd,
                optimizer=dict(generator=dict(state={}, param_groups=[])))


@pytest.mark.parametrize('letter', list(TAB5))
def test_tab5_setting_matches_mmagic_at_every_scale(letter):
    torch.manual_seed(0)
    gen, ema, disc, model, scales = build_pair(letter)
    ckpt = convert_mmagic_checkpoint(mmagic_checkpoint(gen, ema, disc))
    assert 'optimizer' not in ckpt and ckpt['meta']['mmposgan_conversion']['source'] == \
        'mmagic-stylegan2'
    model.load_state_dict(ckpt['state_dict'], strict=True)
    ours_g, ours_ema = model.generator, model.generator_ema.module
    z = torch.randn(2, STYLE)
    with torch.no_grad():
        for offset in scales:
            noise = gen.make_injected_noise(offset)
            want = gen(z, injected_noise=noise, chosen_scale=offset, randomize_noise=False)
            got = ours_g(z, scale_offset=offset, injected_noise=noise)
            size = (4 + offset) * OUT_SIZE // 4
            assert got.shape == want.shape == (2, 3, size, size)
            torch.testing.assert_close(got, want, **TOL)
        # the EMA copy (other weights) at the largest scale
        want_ema = ema(z, injected_noise=noise, chosen_scale=offset, randomize_noise=False)
        torch.testing.assert_close(ours_ema(z, scale_offset=offset, injected_noise=noise),
                                   want_ema, **TOL)
        assert (want_ema - want).abs().amax() > 0.1  # G and G_ema really differ


@pytest.mark.parametrize('letter', ['c', 'd', 'f', 'h', 'k'])
def test_released_structure_samples_any_height_by_width_and_seamless(letter):
    """A converted release checkpoint samples non-square sizes (its square scales stay
    mmagic's, above) and, with its border made circular, a seamless image."""
    torch.manual_seed(0)
    gen, ema, disc, model, scales = build_pair(letter)
    model.load_state_dict(convert_mmagic_checkpoint(mmagic_checkpoint(gen, ema, disc))
                          ['state_dict'], strict=True)
    ours = model.generator_ema.module.double()
    z = torch.randn(2, STYLE, dtype=torch.float64)
    with torch.no_grad():
        for size in [(OUT_SIZE, 2 * OUT_SIZE), (OUT_SIZE, 3 * OUT_SIZE), (2 * OUT_SIZE, OUT_SIZE)]:
            img = ours(z, size=size)
            assert img.shape == (2, 3, *size) and torch.isfinite(img).all()
        ours.make_seamless('x')
        head = torch.randn(1, ours.head.out_channels, *ours.head_input_size((OUT_SIZE, 64)),
                           dtype=torch.float64)
        img = ours(z, size=(OUT_SIZE, 64), head_input=head, add_noise=False)
        rolled = ours(z, size=(OUT_SIZE, 64), head_input=head.roll(1, 3), add_noise=False)
    torch.testing.assert_close(rolled, img.roll(ours.pixel_step, 3), atol=1e-9, rtol=0)


@pytest.mark.parametrize('letter', ['f', 'g', 'f-896', 'f-1024'])
def test_discriminator_matches_mmagic_at_every_scale(letter):
    """The discriminators of Tab. 5 differ only in channel multiplier and scales."""
    torch.manual_seed(0)
    gen, ema, disc, model, scales = build_pair(letter)
    ckpt = convert_mmagic_checkpoint(mmagic_checkpoint(gen, ema, disc))
    model.load_state_dict(ckpt['state_dict'], strict=True)
    with torch.no_grad():
        for offset in scales:
            side = (4 + offset) * D_SIZE // 4
            img = torch.randn(2, 3, side, side)
            torch.testing.assert_close(model.discriminator(img), disc(img), **TOL)


def test_conversion_is_idempotent_and_cheap_on_our_checkpoints():
    gen, ema, disc, model, _ = build_pair('f')
    ours = dict(meta={}, state_dict=model.state_dict())
    assert detect_layout(ours) == 'mmposgan'
    assert convert_mmagic_checkpoint(ours) is ours
    converted = convert_mmagic_checkpoint(mmagic_checkpoint(gen, ema, disc))
    assert convert_mmagic_checkpoint(converted) is converted


@pytest.mark.parametrize('letter,expected', [
    ('f-1024', dict(channel_multiplier=1, head='MMagicSinusoidalEncoding2d',
                    upsample='ConvThenBilinear', padding='ZeroPadConv')),
    ('h', dict(channel_multiplier=2, head='LearnableConstant', head_size=6,
               upsample='BilinearThenConv', padding='InterpPad')),
])
def test_full_size_released_structure_loads_strictly(letter, expected):
    """The real 256 px structure (full channel table): keys and shapes agree, and
    the architecture read from the keys is the one the release config builds."""
    theirs_cfg = Config.fromfile(osp.join(MMAGIC_CFG, TAB5[letter][0] + '.py')).model
    ours_cfg = Config.fromfile(osp.join(OURS, TAB5[letter][1] + '.py')).model
    g_kwargs = {k: v for k, v in theirs_cfg.generator.to_dict().items() if k != 'type'}
    g_kwargs['num_mlps'] = 2  # the mapping MLP is the same 512x512 layer repeated
    d_kwargs = {k: v for k, v in theirs_cfg.discriminator.to_dict().items() if k != 'type'}
    gen = MSStyleGANv2Generator(**g_kwargs)
    disc = MSStyleGAN2Discriminator(**d_kwargs)
    ckpt = convert_mmagic_checkpoint(mmagic_checkpoint(gen, gen, disc))
    arch = ckpt['meta']['mmposgan_conversion']['generator']
    assert {k: arch[k] for k in expected} == expected
    assert arch['out_size'] == 256 and arch['style_channels'] == 512
    ours_cfg.generator.num_mlps = 2
    init_default_scope('mmposgan')
    MODELS.build(ours_cfg).load_state_dict(ckpt['state_dict'], strict=True)


@pytest.mark.parametrize('config', [
    'stylegan2_transposed_pad_c2_8xb3-1100kiters_ffhq-256',
    'stylegan2-release_transposed_pad_c2_8xb3-1100kiters_ffhq-512'])
def test_stylegan2_baselines_match_mmagic(config):
    """Tab. 5(a)/(b): mmagic's plain StyleGAN2 (transposed convs, no adaptive pool)."""
    from mmagic.models.editors.stylegan2 import StyleGAN2Discriminator, StyleGAN2Generator
    channels = small_channels(2)

    class Small(StyleGAN2Generator):
        def __setattr__(self, name, value):
            super().__setattr__(name, dict(channels) if name == 'channels' else value)

    torch.manual_seed(0)
    gen = randomize(Small(OUT_SIZE, STYLE, num_mlps=2), 1).eval()
    ema = randomize(Small(OUT_SIZE, STYLE, num_mlps=2), 2).eval()
    disc = randomize(StyleGAN2Discriminator(D_SIZE), 3).eval()
    cfg = Config.fromfile(osp.join(OURS, '..', 'stylegan2_padding', config + '.py')).model
    cfg.generator.update(out_size=OUT_SIZE, style_channels=STYLE, num_mlps=2, channels=channels)
    cfg.discriminator.in_size = D_SIZE
    init_default_scope('mmposgan')
    model = MODELS.build(cfg).eval()
    ckpt = convert_mmagic_checkpoint(mmagic_checkpoint(gen, ema, disc))
    assert ckpt['meta']['mmposgan_conversion']['generator']['upsample'] == 'TransposedConvUp'
    model.load_state_dict(ckpt['state_dict'], strict=True)
    z = torch.randn(2, STYLE)
    noise = gen.make_injected_noise()
    with torch.no_grad():
        torch.testing.assert_close(model.generator(z, injected_noise=noise),
                                   gen(z, injected_noise=noise, randomize_noise=False), **TOL)
        torch.testing.assert_close(model.generator_ema.module(z, injected_noise=noise),
                                   ema(z, injected_noise=noise, randomize_noise=False), **TOL)
        img = torch.randn(2, 3, D_SIZE, D_SIZE)
        torch.testing.assert_close(model.discriminator(img), disc(img), **TOL)
