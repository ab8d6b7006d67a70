# SinGAN (Shaham et al., ICCV 2019) as trained in the paper (App. E.1), on one image.
# Variants override model.generator.padding / head and model.discriminator.norm_cfg.
_base_ = ['./default_runtime.py']

# image pyramid: shorter side 25 px at stage 0, longer side `max_size` at the last stage
data_root = 'resources/balloons.png'
min_size = 25
max_size = 250
scale_factor_init = 0.75
num_scales = 8  # index of the last stage; tools/train.py reports the right value if wrong

generator_steps = 3
discriminator_steps = 3
iters_per_scale = 2000

model = dict(
    type='PositionalSinGAN',
    data_preprocessor=dict(type='DataPreprocessor', non_image_keys=['input_sample']),
    generator=dict(
        type='PositionalSinGANGenerator',
        num_scales=num_scales,
        in_channels=3,
        out_channels=3,
        padding=dict(type='ZeroPadInput'),  # original SinGAN: zero-pad each stage input
        # head=dict(type=...): position-aligned first-stage noise (see the variants)
    ),
    discriminator=dict(
        type='PositionalSinGANDiscriminator',
        num_scales=num_scales,
        in_channels=3,
        padding=dict(type='NoPad'),
        norm_cfg=dict(type='BN'),
    ),
    num_scales=num_scales,
    generator_steps=generator_steps,
    discriminator_steps=discriminator_steps,
    iters_per_scale=iters_per_scale,
    noise_weight_init=0.1,
    lr_scheduler_args=dict(milestones=[1600], gamma=0.1),
)

train_dataloader = dict(
    batch_size=1,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=False),
    dataset=dict(
        type='SingleImagePyramidDataset',
        data_root=data_root,
        min_size=min_size,
        max_size=max_size,
        scale_factor_init=scale_factor_init),
)

optim_wrapper = dict(
    constructor='SinGANOptimWrapperConstructor',
    generator=dict(optimizer=dict(type='Adam', lr=0.0005, betas=(0.5, 0.999))),
    discriminator=dict(optimizer=dict(type='Adam', lr=0.0005, betas=(0.5, 0.999))),
)

total_iters = (num_scales + 1) * iters_per_scale * discriminator_steps
train_cfg = dict(by_epoch=False, max_iters=total_iters)
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None

# one checkpoint per stage; every checkpoint samples on its own
default_hooks = dict(
    checkpoint=dict(interval=iters_per_scale * discriminator_steps, max_keep_ckpts=3),
    logger=dict(interval=100),
    # max_iters and the discriminator's stages checked against the model before training
    singan_schedule=dict(type='SinGANScheduleCheckHook'))
custom_hooks = [
    dict(type='SinGANStageSampleHook', num_samples=4, size_scales=[(1.0, 1.0), (1.0, 1.5)])
]
# generator and discriminator wrapped separately; frozen stages get no gradient
model_wrapper_cfg = dict(
    type='MMSeparateDistributedDataParallel', broadcast_buffers=False, find_unused_parameters=True)
