# Tiny MS-PIE (32^2 base, scales 32/48/64, few channels) that the tests train on a CPU.
# data_root: any folder of images of at least 64 px.
_base_ = ['./mspie-stylegan2_spe-expand_pad_c2_8xb3-1100kiters_ffhq-256-512.py']

tiny_channels = {4: 32, 8: 32, 16: 16, 32: 16, 64: 8, 128: 8}
ms_pie_scales = [32, 48, 64]
model = dict(
    generator=dict(out_size=32, style_channels=32, num_mlps=2, channels=tiny_channels,
                   head=dict(out_channels=16)),
    discriminator=dict(in_size=32, channels=tiny_channels),
    loss_config=dict(r1_interval=2, g_reg_interval=2))
train_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    batch_sampler=dict(scales=ms_pie_scales),
    dataset=dict(dataset=dict(data_root='data/tiny')))
train_cfg = dict(max_iters=4)
val_cfg = val_dataloader = val_evaluator = None  # no Inception/VGG files in the tests
default_hooks = dict(checkpoint=dict(interval=4), logger=dict(interval=1))
custom_hooks = [
    dict(type='ScaleScheduleHook'),
    # on a GPU only (nothing changes on a CPU): bfloat16 feature maps from 32 px, so that the
    # CUDA tests train this path (tests/cuda/test_cuda_training.py)
    dict(type='CUDATrainingHook', low_precision='bfloat16', min_size=32, channels_last=True),
    dict(type='MultiScaleSampleHook', scales=None, interval=4, num_samples=2),
]
