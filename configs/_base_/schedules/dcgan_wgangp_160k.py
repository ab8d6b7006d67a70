# WGAN-GP schedule of mmagic's wgan-gp configs: Adam 1e-4, betas (0.5, 0.9), 160k iterations
# (one critic step per iteration, a generator step every `discriminator_steps`).
_base_ = ['../default_runtime.py']

train_cfg = dict(by_epoch=False, max_iters=160000)
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(optimizer=dict(type='Adam', lr=0.0001, betas=(0.5, 0.9))),
    discriminator=dict(optimizer=dict(type='Adam', lr=0.0001, betas=(0.5, 0.9))))
default_hooks = dict(checkpoint=dict(interval=10000, max_keep_ckpts=5))
custom_hooks = [
    dict(type='VisualizationHook', interval=5000, fixed_input=True,
         vis_kwargs_list=dict(type='GAN', name='fake_img'))
]

# Tab. 4: multi-level SWD x10^3 (Laplacian levels 128/64/32 + average) of 16384 samples against
# 16384 real images, with `python tools/test.py CONFIG CKPT` (WGAN-GP keeps no EMA generator)
val_cfg = val_dataloader = val_evaluator = None
test_cfg = dict(type='MultiTestLoop')
test_evaluator = dict(
    type='Evaluator',
    metrics=[dict(type='MultiLevelSWD', prefix='swd', fake_nums=16384, sample_model='orig')])
