# Runtime shared by every mmposgan config.
default_scope = 'mmposgan'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=100, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # written atomically; old checkpoints deleted only after the new one is complete
    checkpoint=dict(type='AtomicCheckpointHook', interval=5000, by_epoch=False, max_keep_ckpts=2,
                    save_last=True),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # random generators in checkpoints: a resumed run repeats the uninterrupted one
    random_state=dict(type='RandomStateCheckpointHook'),
    # weights saved without the `.module` of DDP wrappers inside GANs (resume after dist training)
    state_dict_keys=dict(type='UnwrappedStateDictHook'),
    # load_from / resume: a checkpoint that does not fit the model is an error (partial=True:
    # load what fits); resume without a checkpoint is an error (fresh_start=True: train anew)
    strict_load=dict(type='StrictLoadHook'),
)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)

log_processor = dict(type='LogProcessor', by_epoch=False, window_size=50)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=2021, deterministic=False)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)
