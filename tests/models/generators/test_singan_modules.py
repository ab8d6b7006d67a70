"""SinGAN generator: shapes for every padding x head, sizes, bad configs."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from mmposgan.registry import MODELS
from ...conftest import REPO

SIZES = [(25, 33), (33, 44), (44, 59)]
VARIANTS = [
    (dict(type='ZeroPadInput'), None),
    (dict(type='ZeroPadConv'), dict(type='CartesianGrid2d')),
    (dict(type='ZeroPadConv'), dict(type='SinusoidalEncoding2d', out_channels=8)),
    (dict(type='InterpPad', mode='bicubic'), None),
    (dict(type='InterpPad'), dict(type='SinusoidalEncoding2d', out_channels=16)),
]


def build_gen(padding, head, num_scales=2, **kwargs):
    return MODELS.build(dict(type='PositionalSinGANGenerator', num_scales=num_scales,
                             base_channels=8, min_feat_channels=8, padding=padding, head=head,
                             **kwargs))


@pytest.mark.parametrize('padding,head', VARIANTS)
def test_generator_sizes_recon_and_wide(padding, head):
    gen = build_gen(padding, head)
    noises = gen.make_fixed_noises(SIZES, generator=torch.Generator().manual_seed(0))
    assert noises[0].shape[1] == 1  # one stage-0 map (broadcast over the encoding's channels)
    assert [tuple(s) for s in gen.stage_sizes(noises)] == SIZES
    weights = [1.0, 0.1, 0.1]
    out = gen(None, noises, weights, 'recon', 2, get_prev_res=True)
    assert out['fake_img'].shape == (1, 3, *SIZES[-1])
    assert [tuple(r.shape[-2:]) for r in out['prev_res_list']] == SIZES[:2]
    gen.eval()
    # the reconstruction of stage 2 runs through those of stages 0 and 1, and depends on the
    # fixed noise (not on fresh draws)
    out = gen(None, noises, weights, 'recon', 2, get_prev_res=True)
    for stage in (0, 1):
        torch.testing.assert_close(out['prev_res_list'][stage],
                                   gen(None, noises, weights, 'recon', stage))
    moved = [noises[0] + 1.0] + list(noises[1:])
    change = (gen(None, moved, weights, 'recon', 2) - out['fake_img']).abs().amax()
    assert change > 0.01 * out['fake_img'].abs().amax()  # random weights: outputs near 1e-3
    wide = gen(None, noises, weights, 'rand', 2, num_batches=3, size_scale=(1.0, 1.5))
    assert wide.shape == (3, 3, SIZES[-1][0], round(SIZES[-1][1] * 1.5))


@pytest.mark.parametrize('first_noise,maps',
                         [(None, 1), ('SharedNoise', 1), ('PerChannelNoise', 8)])
@pytest.mark.parametrize('mode', ['recon', 'rand'])
def test_first_stage_input_is_noise_plus_encoding(first_noise, maps, mode):
    """§3.6: position-aligned noise = N(0, 1) + P at stage 0: "the positional encoding with
    a sampled noise map", one map broadcast over the encoding's channels by default (the
    authors' code), one map per channel as an option."""
    kwargs = {} if first_noise is None else dict(first_noise=first_noise)
    gen = build_gen(dict(type='ZeroPadConv'), dict(type='SinusoidalEncoding2d', out_channels=8),
                    num_scales=0, **kwargs)
    noises = gen.make_fixed_noises(SIZES[:1])
    assert noises[0].shape[1] == gen.noise_channels(0) == maps
    seen = {}
    gen.blocks[0].register_forward_pre_hook(lambda m, args: seen.setdefault('x', args[0]))
    out = gen(None, noises, [1.0], mode, 0, return_noise=True)
    drawn = out['noise_batch'][0]
    assert drawn.shape[1] == maps
    if mode == 'recon':
        assert torch.equal(drawn, noises[0])
    torch.testing.assert_close(seen['x'], drawn + gen.head(1, SIZES[0]))
    noise_part = seen['x'] - gen.head(1, SIZES[0])
    same_in_every_channel = bool((noise_part - noise_part[:, :1]).abs().max() < 1e-6)
    assert same_in_every_channel == (maps == 1)


def test_fixed_noises_of_another_config_are_refused():
    shared = build_gen('ZeroPadConv', dict(type='SinusoidalEncoding2d', out_channels=8))
    per_channel = build_gen('ZeroPadConv', dict(type='SinusoidalEncoding2d', out_channels=8),
                            first_noise='PerChannelNoise')
    noises = per_channel.make_fixed_noises(SIZES)
    with pytest.raises(ValueError, match=r'stage 0 has 8 channels.*first_noise=SharedNoise'):
        shared(None, noises, [1, .1, .1], 'recon', 2)
    with pytest.raises(ValueError, match='not a noise-map module'):
        build_gen('ZeroPadConv', None, noise='ZeroPadConv')


def test_bad_configs_raise_clear_errors():
    with pytest.raises(ValueError, match='shrinks'):
        build_gen('NoPad', None)
    with pytest.raises(KeyError, match='Sinusoidal3d'):
        build_gen('ZeroPadConv', dict(type='Sinusoidal3d'))
    with pytest.raises(KeyError, match='Reflect'):
        build_gen(dict(type='Reflect'), None)
    with pytest.raises(ValueError, match='divisible by 4'):
        build_gen('ZeroPadConv', dict(type='SinusoidalEncoding2d', out_channels=10))
    with pytest.raises(ValueError, match='not an mmposgan positional head'):
        build_gen('ZeroPadConv', dict(type='ZeroPadConv'))
    with pytest.raises(ValueError, match='not an mmposgan positional head'):
        build_gen('ZeroPadConv', dict(type='SPE', embedding_dim=4, padding_idx=0))
    gen = build_gen('ZeroPadInput', None)
    noises = gen.make_fixed_noises(SIZES)
    with pytest.raises(ValueError, match='recon'):
        gen(None, noises, [1, .1, .1], 'recon', 2, size_scale=1.5)
    with pytest.raises(ValueError, match='curr_scale'):
        gen(None, noises, [1, .1, .1], 'rand', 3)


SINGAN_CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', 'pe_singan', '**', '*.py'),
                                  recursive=True))
#: the released checkpoints whose stage-0 noise had one map per channel (mmagic's
#: first_fixed_noises_ch = the encoding's channels); every other config draws one map
PER_CHANNEL_STAGE0 = ('singan-release_csg_1xb1_fish', 'singan-release_csg_1xb1_bohemian',
                      'singan-release_spe-8ch_1xb1_bohemian',
                      'singan-release_spe-16ch_1xb1_bohemian')


@pytest.mark.parametrize('path', SINGAN_CONFIGS, ids=osp.basename)
def test_config_builds_its_stage0_noise(path):
    """Paper configs: one stage-0 noise map broadcast over the encoding (§3.6); release
    configs: what each released checkpoint was trained with; after stage 0: three maps
    (SinGAN) in the paper configs, one shared map in the releases (mmagic)."""
    cfg = Config.fromfile(path).model.generator
    cfg.update(num_scales=1)
    gen = MODELS.build(cfg)
    name = osp.basename(path)[:-3]
    per_channel = name in PER_CHANNEL_STAGE0
    assert type(gen.first_noise).__name__ == ('PerChannelNoise' if per_channel else 'SharedNoise')
    stage0_in = gen.blocks[0].in_channels
    assert gen.noise_channels(0) == (stage0_in if per_channel else 1)
    assert gen.noise_channels(1) == (1 if 'release' in name else 3)
