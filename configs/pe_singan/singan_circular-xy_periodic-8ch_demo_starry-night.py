# Seamless demo (docs/any_size.md): a PE-SinGAN of tileable textures from Van Gogh's Starry Night
# (resources/starry_night.png, public domain).  The demo settings (singan_spe-8ch_demo_balloons.py,
# about five minutes on 2 CPU cores) with the circular border mode along both axes (CircularPad:
# no zero anywhere; the upsampling between stages wraps) and an 8-channel periodic encoding.
_base_ = ['./singan_spe-8ch_demo_balloons.py']

data_root = 'resources/starry_night.png'
model = dict(
    generator=dict(
        padding=dict(_delete_=True, type='CircularPad', axes='xy'),
        head=dict(_delete_=True, type='PeriodicEncoding2d', out_channels=8, axes='xy')))
train_dataloader = dict(dataset=dict(data_root=data_root))
custom_hooks = [
    dict(type='SinGANStageSampleHook', num_samples=4, size_scales=[(1.0, 1.0), (2.0, 2.0)])
]
