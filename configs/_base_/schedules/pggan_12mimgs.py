# mmagic's PGGAN schedule: per-stage Adam (lr 1e-3, 1.5e-3 at 128 px, betas (0, 0.99)),
# PGGANFetchDataHook for the per-stage batch size, 280k iterations.  With the per-GPU batches of
# the padding-study configs (64/32/16/8/4, then 4 at 128 px, on 8 GPUs) the stages up to 64 px
# take 71,484 iterations (5.4M images) and the 128 px stage the remaining 208,516 iterations at
# 32 images (6.7M): about 12.1M images in all ("12Mimgs").
_base_ = ['../default_runtime.py']

train_cfg = dict(by_epoch=False, max_iters=280000)
optim_wrapper = dict(
    constructor='PGGANOptimWrapperConstructor',
    generator=dict(optimizer=dict(type='Adam', lr=0.001, betas=(0., 0.99))),
    discriminator=dict(optimizer=dict(type='Adam', lr=0.001, betas=(0., 0.99))),
    lr_schedule=dict(generator={'128': 0.0015}, discriminator={'128': 0.0015}))
model_wrapper_cfg = dict(
    type='MMSeparateDistributedDataParallel', broadcast_buffers=False,
    find_unused_parameters=True)
default_hooks = dict(checkpoint=dict(interval=10000, max_keep_ckpts=5))
custom_hooks = [
    dict(type='VisualizationHook', interval=5000, fixed_input=True,
         vis_kwargs_list=dict(type='Noise', name='fake_img', sample_model='ema/orig',
                              target_keys=['ema', 'orig'])),
    dict(type='PGGANFetchDataHook')
]

# Tab. 3 / Tab. 6: multi-level SWD x10^3 (Laplacian levels 128/64/32 + average) of 16384 EMA
# samples against 16384 real images (Karras's recipe), with `python tools/test.py CONFIG CKPT`
val_cfg = val_dataloader = val_evaluator = None
test_cfg = dict(type='MultiTestLoop')
test_evaluator = dict(
    type='Evaluator',
    metrics=[dict(type='MultiLevelSWD', prefix='swd', fake_nums=16384, sample_model='ema')])
