"""MS-PIE StyleGAN2 at any height x width: sizes, heads, same-latent consistency, training."""
import pytest
import torch

from mmposgan.registry import MODELS

SMALL = {4: 32, 8: 32, 16: 16, 32: 16, 64: 8}
HEADS = [dict(type='LearnableConstant'), dict(type='CartesianGrid2d'),
         dict(type='SinusoidalEncoding2d', out_channels=32, resize='expand'),
         dict(type='SinusoidalEncoding2d', out_channels=32, resize='interp')]


def small_gen(head, padding, seed=0):
    torch.manual_seed(seed)
    return MODELS.build(dict(type='PositionalStyleGAN2Generator', out_size=32, style_channels=16,
                             num_mlps=2, channels=SMALL, head=head, upsample='BilinearThenConv',
                             padding=padding)).eval()


@pytest.mark.parametrize('padding', ['ZeroPadConv', 'InterpPad'])
@pytest.mark.parametrize('head', HEADS, ids=lambda h: f'{h["type"]}-{h.get("resize", "")}')
def test_every_height_by_width_from_one_head(head, padding):
    """A (4 + a) x (4 + b) head gives (4 + a) * S/4 x (4 + b) * S/4 pixels (S = 32: step 8)."""
    gen = small_gen(head, padding)
    z = torch.randn(2, 16)
    for size, offset in [((32, 64), (0, 4)), ((32, 96), (0, 8)), ((48, 32), (2, 0)),
                         ((40, 56), (1, 3))]:
        assert gen.scale_offset(size) == offset and gen.output_size(offset) == size
        grow = 2 if padding == 'InterpPad' else 0  # the head is produced larger, padding-free
        assert gen.head_input_size(size) == (4 + offset[0] + grow, 4 + offset[1] + grow)
        with torch.no_grad():
            img = gen(z, size=size)
            assert img.shape == (2, 3, *size)
            torch.testing.assert_close(gen(z, scale_offset=offset, add_noise=False),
                                       gen(z, size=size, add_noise=False))
    assert gen.scale_offset(64) == 4 and gen.head_input_size(64) == 8 + grow  # a bare int: square


def test_sizes_that_are_not_multiples_of_the_step():
    gen = small_gen(HEADS[2], 'ZeroPadConv')
    assert gen.pixel_step == 8
    assert gen.producible_size((30, 70)) == (32, 72)
    assert gen.producible_size(33) == (40, 40) and gen.producible_size((3, 8)) == (8, 8)
    with pytest.raises(ValueError, match=r'32x36 is not one of them.*nearest larger is 32x40'):
        gen(None, size=(32, 36))


def test_expanded_head_is_the_base_head_in_the_centre():
    """Expand (Tab. 1): the wide head holds the base head unchanged in its centre."""
    gen = small_gen(HEADS[2], 'InterpPad')
    base = gen.head(1, gen.head_input_size(32))
    wide = gen.head(1, gen.head_input_size((32, 64)))  # (6, 10): 2 more cells on each side
    assert wide.shape[-2:] == (6, 10)
    torch.testing.assert_close(wide[..., 2:8], base, atol=1e-6, rtol=0)
    grid = small_gen(HEADS[1], 'ZeroPadConv').head(1, (4, 12))[0]  # interp: corners pinned
    torch.testing.assert_close(grid[:, [0, -1]][:, :, [0, -1]],
                               torch.tensor([[[-1., -1.], [1., 1.]], [[-1., 1.], [-1., 1.]]]))


@pytest.mark.parametrize('padding', ['ZeroPadConv', 'InterpPad'])
@pytest.mark.parametrize('head', HEADS, ids=lambda h: f'{h["type"]}-{h.get("resize", "")}')
def test_same_latent_gives_the_same_image_in_a_wider_frame(head, padding):
    """The centre of a 32x64 output is closer to the 32x32 output of the same latent than to
    that of another latent; with SPE expand (the scene extends around the centre) much closer."""
    gen = small_gen(head, padding)
    z = torch.randn(16, 16)
    with torch.no_grad():
        square, wide = gen(z, size=32, add_noise=False), gen(z, size=(32, 64), add_noise=False)
    centre = wide[..., 16:48]
    same = (centre - square).abs().mean((1, 2, 3))
    other = (centre - square.roll(1, 0)).abs().mean((1, 2, 3))
    assert same.mean() < other.mean()
    if head.get('resize') == 'expand':
        assert same.mean() < 0.3 * other.mean() and (same < other).all()
