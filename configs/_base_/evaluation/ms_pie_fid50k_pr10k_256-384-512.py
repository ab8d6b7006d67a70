# Paper Tab. 5: FID50k and precision/recall (P&R10k, k = 3) of the EMA generator at every MS-PIE
# training scale 256/384/512 (a config training other scales overrides test_evaluator, see
# docs/evaluation.md).  Each metric makes the generator sample at its scale (sample_kwargs
# size=...) and area-resizes the real images (test_dataloader) to it; real statistics are cached
# per dataset and scale in $MMPOSGAN_REAL_STATS_DIR
# (default ~/.cache/mmposgan/real_stats).
# Karras's TorchScript inception-2015-12-05.pt and vgg16.pt must be local: by default in
# $MMPOSGAN_METRIC_WEIGHTS (default ~/.cache/mmposgan/metric_weights), or set inception_path /
# vgg16_script on the metrics; a missing file stops the run at start with where to get it.
ms_pie_eval_scales = [256, 384, 512]
ms_pie_metrics = [
    dict(type='ScaleAwareFID', prefix=f'FID50k@{s}', scale=s, fake_nums=50000, real_nums=50000,
         sample_model='ema') for s in ms_pie_eval_scales
] + [
    dict(type='ScaleAwarePrecisionRecall', prefix=f'PR10k@{s}', scale=s, fake_nums=10000,
         real_nums=10000, k=3, sample_model='ema') for s in ms_pie_eval_scales
]

test_cfg = dict(type='MultiTestLoop')
# 'Evaluator' resolves to mmagic's (mmposgan's evaluator registry is a child of mmagic's), which
# mmagic's MultiTestLoop needs; mmengine's plain Evaluator cannot drive it
test_evaluator = dict(type='Evaluator', metrics=ms_pie_metrics)

# Validation during training, the paper's snapshot selection (Tab. 2 / Tab. 5: "best snapshots
# before the discriminator has been shown 10M and 20M images"): every train_cfg.val_interval
# iterations (../schedules/ms_pie_1100k.py) MultiScaleValLoop evaluates these metrics at every
# training scale (the scales of the MultiScaleBatchSampler, so 256/512/896 for a 256-896 config
# and 256 for a single-scale StyleGAN2; prefixes FID50k@<scale>, PR10k@<scale>), and
# BestSnapshotHook keeps the best checkpoint by the largest scale's FID within each budget.
val_cfg = dict(type='MultiScaleValLoop')
val_evaluator = dict(type='Evaluator', metrics=[
    dict(type='ScaleAwareFID', prefix='FID50k', fake_nums=50000, real_nums=50000,
         sample_model='ema'),
    dict(type='ScaleAwarePrecisionRecall', prefix='PR10k', fake_nums=10000, real_nums=10000, k=3,
         sample_model='ema'),
])
