# Tab. 5(g): MS-PIE with zero padding, SPE expanded, channel multiplier 1 ("C1").
_base_ = ['./mspie-stylegan2_spe-expand_pad_c2_8xb3-1100kiters_ffhq-256-512.py']

model = dict(
    generator=dict(channel_multiplier=1), discriminator=dict(channel_multiplier=1))
