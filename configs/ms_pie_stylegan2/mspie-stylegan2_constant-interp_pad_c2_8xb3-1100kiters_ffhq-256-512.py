# Tab. 5(c): MS-PIE with zero padding, learnable constant input resized by interpolation
# (all of it is ../_base_/models/ms_pie_stylegan2_c2.py).
_base_ = [
    '../_base_/datasets/ffhq_ms_pie.py', '../_base_/models/ms_pie_stylegan2_c2.py',
    '../_base_/schedules/ms_pie_1100k.py'
]
