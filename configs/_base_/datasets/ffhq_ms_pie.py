# FFHQ as a folder of images (512 or 1024 px); each iteration draws one training scale for the
# whole global batch (MultiScaleBatchSampler) and the pipeline resizes the real images to it
# with antialiasing (ResizeToTrainingScale).  The test set is the same folder, loaded in the same
# colour order; the metrics resize it to each evaluation scale (../evaluation/).
_base_ = ['../evaluation/ms_pie_fid50k_pr10k_256-384-512.py']

data_root = 'data/ffhq/images'  # set to your FFHQ folder (images >= the largest scale)
ms_pie_scales = [256, 384, 512]
ms_pie_probs = [0.5, 0.25, 0.25]  # the lower scale more likely (§4.1)
ms_pie_seed = 2021

train_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
    dict(type='Flip', keys=['gt'], direction='horizontal'),
    dict(type='ResizeToTrainingScale', keys=['gt']),
    dict(type='PackInputs', keys=['gt']),
]

train_dataloader = dict(
    batch_size=3,
    num_workers=6,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    batch_sampler=dict(
        type='MultiScaleBatchSampler', scales=ms_pie_scales, probs=ms_pie_probs,
        seed=ms_pie_seed),
    dataset=dict(
        type='MultiScaleDataset',
        dataset=dict(
            type='BasicImageDataset',
            data_root=data_root,
            data_prefix=dict(gt=''),
            pipeline=train_pipeline)),
)

test_pipeline = [
    dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),  # as in training
    dict(type='PackInputs', keys=['gt']),
]
test_dataloader = dict(
    batch_size=8,
    num_workers=6,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='BasicImageDataset',
        data_root=data_root,
        data_prefix=dict(gt=''),
        pipeline=test_pipeline))
val_dataloader = test_dataloader  # validation during training reads the same folder
