# DCGAN of the padding study (App. C.1): upsample + conv generator, WGAN-GP (mmagic's WGANGP).
# The setting configs choose the generator's `padding` and `head` (Tab. 4 (a)-(c)).
model = dict(
    type='WGANGP',
    data_preprocessor=dict(type='DataPreprocessor'),
    noise_size=128,
    generator=dict(type='PaddingStudyDCGANGenerator', out_size=128, base_channels=1024,
                   padding=dict(type='ZeroPadConv')),
    discriminator=dict(type='PaddingStudyDCGANDiscriminator', in_size=128, base_channels=64,
                       max_channels=1024),
    discriminator_steps=5,
    loss_config=dict(norm_mode='HWC', loss_weight=10))
