# Tab. 5(d): MS-PIE with zero padding, Cartesian spatial grid (interp).
_base_ = [
    '../_base_/datasets/ffhq_ms_pie.py', '../_base_/models/ms_pie_stylegan2_c2.py',
    '../_base_/schedules/ms_pie_1100k.py'
]

model = dict(
    generator=dict(head=dict(_delete_=True, type='CartesianGrid2d', resize='interp')))
