# Seamless PE-SinGAN as the paper trains it (docs/any_size.md): the padding-free PE-SinGAN
# (singan_interp-pad_spe-8ch_disc-nobn_1xb1_balloons.py) with the circular border mode along x:
# CircularInterpPad wraps the width (no zero, the opposite edge) and interpolates the height
# larger as InterpPad does (no zero either); the upsampling between stages wraps; the 8-channel
# encoding is periodic in the width (its period is the output width).  Samples are 360-degree
# panoramas: `tools/sample.py ... --width-scale 3` makes one 3x wide.
_base_ = ['./singan_interp-pad_spe-8ch_disc-nobn_1xb1_balloons.py']

model = dict(
    generator=dict(
        padding=dict(_delete_=True, type='CircularInterpPad', axes='x', mode='bicubic'),
        head=dict(_delete_=True, type='PeriodicEncoding2d', out_channels=8, axes='x')))
