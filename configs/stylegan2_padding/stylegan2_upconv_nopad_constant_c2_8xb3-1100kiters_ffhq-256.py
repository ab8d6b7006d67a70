# Tab. 2(c): + padding removed (§4.1): a larger 6x6 constant for the valid first conv, each
# block's input interpolated once to 2H + 4 for its two valid convs (InterpPad).
_base_ = ['./stylegan2_upconv_pad_c2_8xb3-1100kiters_ffhq-256.py']

model = dict(generator=dict(padding=dict(_delete_=True, type='InterpPad')))
