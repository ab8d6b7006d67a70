# Tab. 2(d): padding-free, Cartesian grid input.
_base_ = ['./stylegan2_upconv_nopad_constant_c2_8xb3-1100kiters_ffhq-256.py']

model = dict(generator=dict(head=dict(_delete_=True, type='CartesianGrid2d')))
