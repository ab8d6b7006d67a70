"""SinGAN's patch discriminator, with and without batch norm (App. E.1)."""
import torch

from mmposgan.registry import MODELS


def test_discriminator_with_and_without_bn():
    for norm in (dict(type='BN'), None):
        disc = MODELS.build(dict(type='PositionalSinGANDiscriminator', num_scales=1,
                                 base_channels=8, min_feat_channels=8, norm_cfg=norm))
        assert disc(torch.randn(1, 3, 25, 33), 1).shape == (1, 1, 15, 23)
        has_bn = any(isinstance(m, torch.nn.BatchNorm2d) for m in disc.modules())
        assert has_bn == (norm is not None)
