# Tab. 5(i): padding-free MS-PIE, Cartesian spatial grid (interp).
# Padding-free as §4.1: the head produced 2 cells larger, each block interpolated once
# to 2H + 4 for its two valid convs (InterpPad), a bilinear RGB skip.
_base_ = [
    '../_base_/datasets/ffhq_ms_pie.py', '../_base_/models/ms_pie_stylegan2_c2.py',
    '../_base_/schedules/ms_pie_1100k.py'
]

model = dict(
    generator=dict(
        head=dict(_delete_=True, type='CartesianGrid2d', resize='interp'),
        padding=dict(_delete_=True, type='InterpPad')))
