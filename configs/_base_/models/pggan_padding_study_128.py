# PGGAN of the padding study (§4.2, App. C): mmagic's ProgressiveGrowingGAN and
# PGGANDiscriminator with our PaddingStudyPGGANGenerator, 128 px, mmagic's PGGAN recipe:
# nkimgs_per_scale counts each stage's images *including* its fade-in, so 600k at 4 px, then
# 1.2M per resolution (600k fading in + 600k stable) up to 64 px (5.4M in all), and the 128 px
# stage (600k fading in) runs until max_iters: the 12000 listed for it is never reached.
# The setting configs choose the generator's `padding` and `head` (Tab. 3 / Tab. 6 (a)-(c)).
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
