# Small MS-PIE for the CPU any-size experiment (docs/experiments.md, tools/experiments/
# any_size_photos.py): a 32 px base model (4x4 head, three upsampling blocks, 128/128/64/32
# channels) with zero padding and a 64-channel SPE expanded (Tab. 5 (f) scaled down), trained
# at 32x32, 32x64 and 32x96 (1:1, 2:1, 3:1) on random crops of freely redistributable photos.
# data_root: a folder of images at least 96 px wide and 32 px high (the tool writes crops).
_base_ = ['./mspie-stylegan2_spe-expand_pad_c2_8xb3-1100kiters_ffhq-256-512.py']

small_channels = {4: 128, 8: 128, 16: 64, 32: 32, 64: 32}
ms_pie_scales = [32, (32, 64), (32, 96)]
ms_pie_probs = [0.4, 0.3, 0.3]
model = dict(
    generator=dict(out_size=32, style_channels=128, num_mlps=4, channels=small_channels,
                   head=dict(out_channels=64)),
    discriminator=dict(in_size=32, channels=small_channels))
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    batch_sampler=dict(scales=ms_pie_scales, probs=ms_pie_probs),
    dataset=dict(dataset=dict(data_root='data/photo_crops')))
train_cfg = dict(max_iters=3000, val_interval=10**9)
val_cfg = val_dataloader = val_evaluator = None  # the tool measures SWD and scale consistency
test_cfg = test_dataloader = test_evaluator = None
default_hooks = dict(checkpoint=dict(interval=1000, max_keep_ckpts=1), logger=dict(interval=200))
custom_hooks = [
    dict(type='ScaleScheduleHook'),
    dict(type='MultiScaleSampleHook', scales=None, interval=1000, num_samples=8),
]
