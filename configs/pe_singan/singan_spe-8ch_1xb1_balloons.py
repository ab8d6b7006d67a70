# SinGAN with position-aligned noise: N(0, 1) + 8-channel sinusoidal encoding at stage 0
# (§3.6, Fig. 7(c), App. E.1: 8 channels by default, 16 for 'Bohemian Rhapsody').
_base_ = ['../_base_/singan.py']

model = dict(
    generator=dict(
        padding=dict(_delete_=True, type='ZeroPadConv'),
        head=dict(type='SinusoidalEncoding2d', out_channels=8, resize='expand')))
