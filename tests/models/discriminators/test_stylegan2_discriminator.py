"""MS-PIE StyleGAN2 discriminator: its folded-gain conv layer, every scale, any height x width."""
import pytest
import torch

from mmposgan.models.discriminators.stylegan2 import ConvLayer
from mmposgan.models.layers.blur import Blur
from mmposgan.registry import MODELS
from ..generators.test_stylegan2_modules import SMALL, _grads


@pytest.mark.parametrize('downsample,activate,gain', [(False, True, 1.0), (True, True, 0.5**0.5),
                                                      (True, False, 0.5**0.5)])
def test_conv_layer_folded_gain_equals_its_definition(downsample, activate, gain):
    """``gain * [sqrt2 * leaky_relu](conv(blur(x)) + b)`` with the gain folded into the conv."""
    torch.manual_seed(0)
    k = 3 if activate else 1
    layer = ConvLayer(4, 6, k, downsample=downsample, activate=activate, bias=activate,
                      gain=gain)
    if activate:
        with torch.no_grad():
            layer.act_bias.normal_()
    x = torch.randn(2, 4, 8, 8)
    z = layer.conv(layer.blur(x) if layer.blur is not None else x)  # gain 1, own bias (none)
    if downsample and k == 1:
        z = layer.conv(Blur((1, 3, 3, 1), (1, 1))(x))[..., ::2, ::2]
    if activate:
        z = torch.nn.functional.leaky_relu(z + layer.act_bias.view(1, -1, 1, 1), 0.2) * 2**0.5
    ref = z * gain
    out = layer(x)
    torch.testing.assert_close(out, ref)
    g = torch.randn_like(ref)
    for a, b in zip(_grads(layer, out, g), _grads(layer, ref, g), strict=True):
        torch.testing.assert_close(a, b)
    with pytest.raises(ValueError, match='positive'):
        ConvLayer(4, 6, 3, gain=-1.0)


def test_discriminator_takes_every_scale():
    disc = MODELS.build(dict(type='MultiScaleStyleGAN2Discriminator', in_size=32, channels=SMALL))
    for size in (32, 48, 64, 112):
        assert disc(torch.randn(4, 3, size, size)).shape == (4, 1)
    plain = MODELS.build(dict(type='MultiScaleStyleGAN2Discriminator', in_size=32,
                              channels=SMALL, pool_size=None))
    assert plain(torch.randn(2, 3, 32, 32)).shape == (2, 1)
    with pytest.raises(ValueError, match='pool_size=2'):
        plain(torch.randn(2, 3, 64, 64))


def test_discriminator_takes_any_height_by_width():
    torch.manual_seed(0)
    disc = MODELS.build(dict(type='MultiScaleStyleGAN2Discriminator', in_size=32, channels=SMALL))
    for size in [(32, 32), (32, 64), (32, 96), (48, 32)]:
        out = disc(torch.randn(4, 3, *size))
        assert out.shape == (4, 1) and torch.isfinite(out).all()
    plain = MODELS.build(dict(type='MultiScaleStyleGAN2Discriminator', in_size=32,
                              channels=SMALL, pool_size=None))
    with pytest.raises(ValueError, match='without the adaptive pool'):
        plain(torch.randn(4, 3, 32, 64))
