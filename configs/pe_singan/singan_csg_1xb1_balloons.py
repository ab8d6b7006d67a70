# SinGAN with position-aligned noise: N(0, 1) + Cartesian grid (2 channels) at stage 0
# (§3.6, Fig. 7(b)); convs zero-pad as in the released PE-SinGAN configs.
_base_ = ['../_base_/singan.py']

model = dict(
    generator=dict(
        padding=dict(_delete_=True, type='ZeroPadConv'),
        head=dict(type='CartesianGrid2d', resize='interp')))
