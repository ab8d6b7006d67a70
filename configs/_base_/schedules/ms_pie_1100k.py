# 8 GPUs x batch 3, 1.1M iterations (paper App. B/D); grids at every scale every 5k iterations.
_base_ = ['../default_runtime.py']

# Validation every 10k iterations (240k images at 8 x 3): FID50k and P&R10k at every training
# scale (val_* of ../evaluation/ and ../datasets/; it needs Karras's Inception/VGG files, see
# docs/evaluation.md), and the best checkpoint by the largest scale's FID within 10M and 20M
# images (the paper's "best snapshots before 10M/20M images", Tab. 2 and 5):
# work_dir/best_FID50k@<scale>_fid_{10M,20M}.pth and best_snapshots.json.
train_cfg = dict(by_epoch=False, max_iters=1100000, val_interval=10000)
default_hooks = dict(checkpoint=dict(interval=10000, max_keep_ckpts=5))
custom_hooks = [
    dict(type='ScaleScheduleHook'),
    # scales=None: the training scales of the MultiScaleBatchSampler
    dict(type='MultiScaleSampleHook', scales=None, interval=5000, num_samples=8),
    dict(type='BestSnapshotHook', metric=None, rule='less', budgets=[10000000, 20000000]),
]
model_wrapper_cfg = dict(
    type='MMSeparateDistributedDataParallel', broadcast_buffers=False,
    find_unused_parameters=False)
