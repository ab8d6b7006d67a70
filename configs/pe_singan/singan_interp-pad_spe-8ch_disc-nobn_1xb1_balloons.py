# Padding-free SinGAN with position-aligned noise (SPE, 8 channels): no zero ever enters a
# generator conv, the only spatial information is the explicit encoding.
_base_ = ['../_base_/singan.py']

model = dict(
    generator=dict(
        padding=dict(_delete_=True, type='InterpPad', mode='bicubic'),
        head=dict(type='SinusoidalEncoding2d', out_channels=8, resize='expand')),
    discriminator=dict(norm_cfg=None))
