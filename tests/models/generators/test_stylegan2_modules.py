"""StyleGAN2 layers and the MS-PIE generator: parity, sizes, bad configs."""
import pytest
import torch
from mmagic.models.editors.stylegan2.stylegan2_modules import ModulatedConv2d, UpsampleUpFIRDn

from mmposgan.models.generators.stylegan2_blocks import StyleConv
from mmposgan.models.layers.blur import Blur
from mmposgan.models.layers.modulated_conv import ModulatedConv2dPE
from mmposgan.models.layers.upsampling import FIRUpsample
from mmposgan.registry import MODELS

SMALL = {4: 32, 8: 32, 16: 16, 32: 16, 64: 8, 128: 8}
HEADS = [dict(type='LearnableConstant'), dict(type='CartesianGrid2d'),
         dict(type='SinusoidalEncoding2d', out_channels=16, resize='interp'),
         dict(type='SinusoidalEncoding2d', out_channels=16, resize='expand')]
SETTINGS = [('TransposedConvUp', 'ZeroPadConv'), ('BilinearThenConv', 'ZeroPadConv'),
            ('ConvThenBilinear', 'ZeroPadConv'), ('BilinearThenConv', 'InterpPad'),
            ('BilinearThenConv', 'PerConvInterpPad')]


def small_gen(**kwargs):
    cfg = dict(type='PositionalStyleGAN2Generator', out_size=32, style_channels=16, num_mlps=2,
               channels=SMALL)
    cfg.update(kwargs)
    return MODELS.build(cfg)


@pytest.mark.parametrize('upsample', [None, 'TransposedConvUp'])
def test_modulated_conv_equals_mmagic(upsample):
    torch.manual_seed(0)
    theirs = ModulatedConv2d(8, 6, 3, 16, upsample=upsample is not None)
    ours = ModulatedConv2dPE(8, 6, 3, 16, upsample=upsample)
    with torch.no_grad():
        ours.weight.copy_(theirs.weight_orig)
        ours.style_modulation.weight.copy_(theirs.style_modulation.linear.weight_orig)
        ours.style_modulation.bias.copy_(theirs.style_modulation.bias)
    x, s = torch.randn(3, 8, 5, 7), torch.randn(3, 16)
    torch.testing.assert_close(ours(x, s), theirs(x, s), atol=1e-5, rtol=1e-4)


def test_fir_upsample_equals_mmagic():
    x = torch.randn(2, 3, 5, 6)
    torch.testing.assert_close(FIRUpsample()(x), UpsampleUpFIRDn([1, 3, 3, 1])(x))


@pytest.mark.parametrize('pad', [(1, 1), (2, 1)])
def test_blur_down_equals_blur_then_subsample(pad):
    x = torch.randn(2, 3, 9, 8)
    torch.testing.assert_close(Blur((1, 3, 3, 1), pad, down=2)(x),
                               Blur((1, 3, 3, 1), pad)(x)[..., ::2, ::2])


def _grads(module, out, grad):
    module.zero_grad()
    out.backward(grad)
    return [p.grad.clone() for p in module.parameters()]


def test_style_conv_fused_epilogue_equals_its_definition():
    """``sqrt2 * leaky_relu(conv * demod + strength * noise + bias)``, values and gradients."""
    torch.manual_seed(0)
    layer = StyleConv(8, 6, 16, upsample='ConvThenBilinear')
    with torch.no_grad():
        layer.noise_strength.fill_(0.3)
        layer.bias.normal_()
    x, s, noise = torch.randn(2, 8, 5, 5), torch.randn(2, 16), torch.randn(2, 1, 10, 10)
    fused = layer(x, s, noise=noise)
    ref = torch.nn.functional.leaky_relu(
        layer.conv(x, s) + layer.noise_strength * noise + layer.bias.view(1, -1, 1, 1),
        0.2) * 2**0.5
    torch.testing.assert_close(fused, ref)
    g = torch.randn_like(ref)
    for a, b in zip(_grads(layer, fused, g), _grads(layer, ref, g), strict=True):
        torch.testing.assert_close(a, b)


@pytest.mark.parametrize('head', HEADS, ids=lambda h: h['type'] + h.get('resize', ''))
@pytest.mark.parametrize('upsample,padding', SETTINGS)
def test_generator_sizes_for_every_head_padding_and_scale(head, upsample, padding):
    gen = small_gen(head=head, upsample=upsample, padding=padding).eval()
    for size, offset in [(32, 0), (48, 2), (64, 4), (72, 5)]:
        assert gen.scale_offset(size) == offset and gen.output_size(offset) == size
        assert gen(num_batches=2, size=size).shape == (2, 3, size, size)


def test_padding_free_generator_with_constant_head_is_uniform():
    """Fig. 3 / App. B.2: a spatially constant input, no noise, no padding ->
    a spatially constant image; with zero padding the borders differ."""
    for padding, uniform in [('InterpPad', True), ('ZeroPadConv', False)]:
        gen = small_gen(upsample='BilinearThenConv', padding=padding).double().eval()
        side = gen.head_input_size()
        const = torch.full((1, 32, side, side), 0.5, dtype=torch.float64)
        z = torch.randn(2, 16, dtype=torch.float64)
        img = gen(z, head_input=const, add_noise=False)
        spread = (img - img[..., 16:17, 16:17]).abs().amax()
        assert (spread < 1e-9) == uniform, (padding, spread)


def test_bad_generator_configs():
    gen = small_gen()
    with pytest.raises(ValueError, match='is not one of them'):
        gen.scale_offset(36)
    with pytest.raises(ValueError, match='transposed conv'):
        small_gen(upsample='TransposedConvUp', padding='InterpPad')
    with pytest.raises(ValueError, match='resize'):
        small_gen(head=dict(type='LearnableConstant', resize='expand'))
    with pytest.raises(ValueError, match='power of two'):
        small_gen(out_size=48)
    with pytest.raises(ValueError, match='not an mmposgan positional head'):
        small_gen(head=dict(type='CSG'))  # mmagic's module, not ours
