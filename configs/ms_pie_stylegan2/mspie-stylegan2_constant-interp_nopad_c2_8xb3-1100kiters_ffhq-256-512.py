# Tab. 5(h): padding-free MS-PIE, learnable constant input (resized by interpolation).
_base_ = [
    '../_base_/datasets/ffhq_ms_pie.py', '../_base_/models/ms_pie_stylegan2_c2.py',
    '../_base_/schedules/ms_pie_1100k.py'
]

model = dict(generator=dict(padding=dict(_delete_=True, type='PerConvInterpPad')))
