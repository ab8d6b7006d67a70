"""The padding study's DCGAN critic (paper App. C.1)."""
import pytest
import torch

from mmposgan.models.discriminators import PaddingStudyDCGANDiscriminator


def test_dcgan_discriminator_shapes_and_refuses_batch_norm():
    disc = PaddingStudyDCGANDiscriminator(in_size=32, base_channels=4, max_channels=16)
    assert disc(torch.randn(2, 3, 32, 32)).shape == (2, 1)
    # per-sample: the score of one image does not depend on the others in the batch
    x = torch.randn(3, 3, 32, 32)
    assert torch.allclose(disc(x)[:1], disc(x[:1]), atol=1e-6)
    with pytest.raises(ValueError, match='batch norm'):
        PaddingStudyDCGANDiscriminator(in_size=32, norm_cfg=dict(type='BN'))
    with pytest.raises(ValueError, match='expected 32x32'):
        disc(torch.randn(1, 3, 16, 16))
