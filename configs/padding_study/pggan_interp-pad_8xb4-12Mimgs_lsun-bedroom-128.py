# Tab. 6 (b): padding-free PGGAN (§4.1): a 6x6 first map for the valid 4x4-stage conv, and each
# upsampling block's input interpolated once to 2H + 4 for its two valid 3x3 convs.
_base_ = ['./pggan_zero-pad_8xb4-12Mimgs_lsun-bedroom-128.py']

model = dict(generator=dict(padding=dict(type='InterpPad')))
