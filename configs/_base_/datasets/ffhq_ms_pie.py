# FFHQ as a folder of images (512 or 1024 px); each iteration draws one training scale for the
# whole global batch (MultiScaleBatchSampler) and the pipeline resizes the real images to it
# (a random crop of the scale's aspect ratio, then antialiased: ResizeToTrainingScale).  The test
# set is the same folder, read by the same reader; the metrics centre-crop and resize it to each
# evaluation scale (../evaluation/).
_base_ = ['../evaluation/ms_pie_fid50k_pr10k_256-384-512.py']

data_root = 'data/ffhq/images'  # set to your FFHQ folder (images >= the largest scale)
ms_pie_scales = [256, 384, 512]
ms_pie_probs = [0.5, 0.25, 0.25]  # the lower scale more likely (§4.1)
ms_pie_seed = 2021

train_pipeline = [
    dict(type='LoadRGBImage', key='gt'),  # the reader SinGAN uses (bit depths, EXIF, alpha)
    dict(type='Flip', keys=['gt'], direction='horizontal'),
    # crop to the scale's aspect ratio (random window), then area-resize: never squashed
    dict(type='ResizeToTrainingScale', keys=['gt'], crop='random'),
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
    dict(type='LoadRGBImage', key='gt'),  # as in training
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
