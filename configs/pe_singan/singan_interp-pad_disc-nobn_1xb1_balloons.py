# Padding-free SinGAN (App. E.1): each stage's input is interpolated larger instead of
# zero-padded, noise is drawn at the enlarged size, and the discriminator has no batch norm.
_base_ = ['../_base_/singan.py']

model = dict(
    generator=dict(padding=dict(_delete_=True, type='InterpPad', mode='bicubic')),
    discriminator=dict(norm_cfg=None))
