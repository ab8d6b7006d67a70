# Scaled-down Tab. 4 (c): padding-free DCGAN with SPE added to the first 4x4 feature map.
_base_ = ['./dcgan-wgangp_interp-pad_1xb32-1kiters_digits-32.py']

model = dict(generator=dict(head=dict(type='SinusoidalEncoding2d')))
