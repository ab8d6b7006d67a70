# Tab. 5(e): MS-PIE with zero padding, 512-channel SPE resized by interpolation.
_base_ = [
    '../_base_/datasets/ffhq_ms_pie.py', '../_base_/models/ms_pie_stylegan2_c2.py',
    '../_base_/schedules/ms_pie_1100k.py'
]

model = dict(
    generator=dict(
        head=dict(_delete_=True, type='SinusoidalEncoding2d', out_channels=512, resize='interp')))
