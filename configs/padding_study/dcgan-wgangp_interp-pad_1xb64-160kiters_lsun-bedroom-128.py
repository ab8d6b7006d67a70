# Tab. 4 (b): the same DCGAN without padding (InterpPad: every conv is valid).
_base_ = ['./dcgan-wgangp_zero-pad_1xb64-160kiters_lsun-bedroom-128.py']

model = dict(generator=dict(padding=dict(type='InterpPad')))
