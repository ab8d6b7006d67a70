"""SinGAN generator/discriminator: shapes for every padding x head, sizes, bad configs."""
import pytest
import torch

from mmposgan.registry import MODELS

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
    if head:
        assert noises[0].shape[1] == MODELS.build(head).out_channels
    assert [tuple(s) for s in gen.stage_sizes(noises)] == SIZES
    weights = [1.0, 0.1, 0.1]
    out = gen(None, noises, weights, 'recon', 2, get_prev_res=True)
    assert out['fake_img'].shape == (1, 3, *SIZES[-1])
    assert [tuple(r.shape[-2:]) for r in out['prev_res_list']] == SIZES[:2]
    gen.eval()
    torch.testing.assert_close(gen(None, noises, weights, 'recon', 2),
                               gen(None, noises, weights, 'recon', 2))
    wide = gen(None, noises, weights, 'rand', 2, num_batches=3, size_scale=(1.0, 1.5))
    assert wide.shape == (3, 3, SIZES[-1][0], round(SIZES[-1][1] * 1.5))


def test_first_stage_input_is_noise_plus_encoding():
    """§3.6: position-aligned noise = N(0, 1) + P at stage 0."""
    gen = build_gen(dict(type='ZeroPadConv'), dict(type='SinusoidalEncoding2d', out_channels=8),
                    num_scales=0)
    noises = gen.make_fixed_noises(SIZES[:1])
    seen = {}
    gen.blocks[0].register_forward_pre_hook(lambda m, args: seen.setdefault('x', args[0]))
    gen(None, noises, [1.0], 'recon', 0)
    expected = noises[0] + gen.head(1, SIZES[0])
    torch.testing.assert_close(seen['x'], expected)


def test_discriminator_with_and_without_bn():
    for norm in (dict(type='BN'), None):
        disc = MODELS.build(dict(type='PositionalSinGANDiscriminator', num_scales=1,
                                 base_channels=8, min_feat_channels=8, norm_cfg=norm))
        assert disc(torch.randn(1, 3, 25, 33), 1).shape == (1, 1, 15, 23)
        has_bn = any(isinstance(m, torch.nn.BatchNorm2d) for m in disc.modules())
        assert has_bn == (norm is not None)


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
