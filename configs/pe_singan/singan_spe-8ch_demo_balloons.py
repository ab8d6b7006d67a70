# Demo: PE-SinGAN (N(0, 1) + 8-channel SPE at stage 0) on the shipped balloons image,
# small enough to train on 2 CPU cores in about five minutes (`make demo`).
# Writes per-stage sample grids (normal size and 1.5x wider) to {work_dir}/vis/.
_base_ = ['../_base_/singan.py']

max_size = 80
num_scales = 4
iters_per_scale = 300
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
    lr_scheduler_args=dict(milestones=[240], gamma=0.1))

train_dataloader = dict(dataset=dict(max_size=max_size))
train_cfg = dict(max_iters=(num_scales + 1) * iters_per_scale * discriminator_steps)
default_hooks = dict(
    checkpoint=dict(interval=iters_per_scale * discriminator_steps),
    logger=dict(interval=150))
