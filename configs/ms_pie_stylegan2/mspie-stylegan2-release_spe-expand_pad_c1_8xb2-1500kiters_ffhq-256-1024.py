# Builds the structure of the released mmagic checkpoint mspie-stylegan2_c1_config-f_ffhq_256-1024
# (Tab. 5 config f with C1, trained at 256/512/1024); see docs/model_zoo.md.
_base_ = ['./mspie-stylegan2_spe-expand_pad_c1_8xb2-1500kiters_ffhq-256-1024.py']

# the paper config with the released structure's modules (mmposgan/models/layers/release_compat.py)
model = dict(
    generator=dict(
        upsample=dict(type='ConvThenBilinear'),  # mmagic's deconv2conv + up_after_conv
        head=dict(type='MMagicSinusoidalEncoding2d'),  # mmagic's SPE2d layout
    ),
    # mmagic's 256-1024 config leaves its discriminator at channel multiplier 2
    discriminator=dict(channel_multiplier=2))
# The released checkpoint was trained with the scales drawn uniformly: the authors' MMGeneration
# code passed the probabilities as np.random.choice's 'replace' argument (docs/ms_pie.md).
train_dataloader = dict(batch_sampler=dict(probs=None))  # None: uniform
