# Tab. 6 (c): padding-free PGGAN with SPE added to the first 4x4 feature map (App. C.1).
_base_ = ['./pggan_interp-pad_8xb4-12Mimgs_lsun-bedroom-128.py']

model = dict(generator=dict(head=dict(type='SinusoidalEncoding2d')))
