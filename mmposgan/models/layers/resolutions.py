"""The resolution ladder of the paper's StyleGAN2, PGGAN and DCGAN networks.

Their generators start from a 4x4 first feature map that every block doubles
(``out_size = 4 * 2^n``), and their discriminators end at a 4x4 map.
"""

#: Side of the first (coarsest) feature map of the generators, the last of the
#: discriminators.
FIRST_MAP_SIZE = 4


def stylegan2_channels(channel_multiplier: int) -> dict:
    """Resolution -> channels of StyleGAN2 (config F: multiplier 2)."""
    return {4: 512, 8: 512, 16: 512, 32: 512, 64: 256 * channel_multiplier,
            128: 128 * channel_multiplier, 256: 64 * channel_multiplier,
            512: 32 * channel_multiplier, 1024: 16 * channel_multiplier}
