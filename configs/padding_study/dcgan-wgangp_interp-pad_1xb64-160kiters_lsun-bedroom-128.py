# Tab. 4 (b): the same DCGAN without padding (InterpPad: each block's
# input interpolated once to 2H + 2 for its valid 3x3 conv).
_base_ = ['./dcgan-wgangp_zero-pad_1xb64-160kiters_lsun-bedroom-128.py']

model = dict(generator=dict(padding=dict(type='InterpPad')))
