# Tab. 4 (c): padding-free DCGAN with SPE added to the first 4x4 feature map (App. C.1).
_base_ = ['./dcgan-wgangp_interp-pad_1xb64-160kiters_lsun-bedroom-128.py']

model = dict(generator=dict(head=dict(type='SinusoidalEncoding2d')))
