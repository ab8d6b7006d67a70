# PGGAN of the padding study (§4.2, App. C): mmagic's ProgressiveGrowingGAN and
# PGGANDiscriminator with our PaddingStudyPGGANGenerator, 128 px, mmagic's PGGAN recipe
# (600k images per stage + 600k transition, 12M at 128).  The setting configs choose the
# generator's `padding` and `head` (Tab. 3 / Tab. 6 (a)-(c)).
model = dict(
    type='ProgressiveGrowingGAN',
    data_preprocessor=dict(type='DataPreprocessor'),
    noise_size=512,
    generator=dict(type='PaddingStudyPGGANGenerator', out_scale=128,
                   padding=dict(type='ZeroPadConv')),
    discriminator=dict(type='PGGANDiscriminator', in_scale=128),
    nkimgs_per_scale={'4': 600, '8': 1200, '16': 1200, '32': 1200, '64': 1200, '128': 12000},
    transition_kimgs=600,
    ema_config=dict(interval=1))
