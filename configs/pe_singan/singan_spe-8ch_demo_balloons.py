# Demo: PE-SinGAN (N(0, 1) + 8-channel SPE at stage 0) on the shipped balloons image,
# small enough to train on 2 CPU cores in about five minutes (`make demo`).
# Writes per-stage sample grids (normal size and 1.5x wider) to {work_dir}/vis/.
_base_ = ['../_base_/singan.py']

# 4 stages of 32 channels, from 25x33 to 72x96 pixels
max_size = 96
scale_factor_init = 0.65
num_scales = 3
iters_per_scale = 250
discriminator_steps = 3
generator_steps = 3

model = dict(
    generator=dict(
        num_scales=num_scales,
        padding=dict(_delete_=True, type='ZeroPadConv'),
        head=dict(type='SinusoidalEncoding2d', out_channels=8, resize='expand')),
    discriminator=dict(num_scales=num_scales),
    num_scales=num_scales,
    iters_per_scale=iters_per_scale,
    lr_scheduler_args=dict(milestones=[200], gamma=0.1))

train_dataloader = dict(dataset=dict(max_size=max_size, scale_factor_init=scale_factor_init))
train_cfg = dict(max_iters=(num_scales + 1) * iters_per_scale * discriminator_steps)
default_hooks = dict(
    checkpoint=dict(interval=iters_per_scale * discriminator_steps),
    logger=dict(interval=150))
