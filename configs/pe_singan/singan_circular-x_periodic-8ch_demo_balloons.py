# Seamless demo (docs/any_size.md): a PE-SinGAN whose left and right edges join, for 360-degree
# panoramas of the shipped balloons image.  The demo (singan_spe-8ch_demo_balloons.py, about five
# minutes on 2 CPU cores) with the circular border mode along x (CircularPad: the opposite edge
# along the width, zeros along the height; the upsampling between stages wraps) and an
# 8-channel periodic encoding (sinusoids whose period is the output width) at stage 0.
_base_ = ['./singan_spe-8ch_demo_balloons.py']

model = dict(
    generator=dict(
        padding=dict(_delete_=True, type='CircularPad', axes='x'),
        head=dict(_delete_=True, type='PeriodicEncoding2d', out_channels=8, axes='x')))
custom_hooks = [
    dict(type='SinGANStageSampleHook', num_samples=4, size_scales=[(1.0, 1.0), (1.0, 3.0)])
]
