# 8 GPUs x batch 3, 1.1M iterations (paper App. B/D); grids at every scale every 5k iterations.
_base_ = ['../default_runtime.py']

train_cfg = dict(by_epoch=False, max_iters=1100000)
# No evaluation during training (it needs the Inception/VGG files; FID50k at three scales is
# long): evaluate checkpoints with tools/test.py (test_* of ../evaluation/ and ../datasets/).
# To validate while training, add val_cfg=dict(type='MultiValLoop'), val_dataloader,
# val_evaluator and train_cfg.val_interval (docs/evaluation.md).
default_hooks = dict(checkpoint=dict(interval=10000, max_keep_ckpts=5))
custom_hooks = [
    dict(type='ScaleScheduleHook'),
    # scales=None: the training scales of the MultiScaleBatchSampler
    dict(type='MultiScaleSampleHook', scales=None, interval=5000, num_samples=8),
]
model_wrapper_cfg = dict(
    type='MMSeparateDistributedDataParallel', broadcast_buffers=False,
    find_unused_parameters=False)
