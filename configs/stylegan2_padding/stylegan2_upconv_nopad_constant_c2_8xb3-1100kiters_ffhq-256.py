# Tab. 2(c): + padding removed (interp pad, a larger 6x6 constant for the valid first conv).
_base_ = ['./stylegan2_upconv_pad_c2_8xb3-1100kiters_ffhq-256.py']

model = dict(generator=dict(padding=dict(_delete_=True, type='PerConvInterpPad')))
