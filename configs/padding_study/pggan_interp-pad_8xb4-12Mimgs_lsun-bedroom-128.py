# Tab. 6 (b): padding-free PGGAN: bilinear upsample + valid 3x3 convs on interpolated maps.
_base_ = ['./pggan_zero-pad_8xb4-12Mimgs_lsun-bedroom-128.py']

model = dict(generator=dict(padding=dict(type='PerConvInterpPad')))
