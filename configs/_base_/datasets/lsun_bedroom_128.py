# LSUN bedroom at 128 px as an image folder (paper Tab. 4 and 6; export the LMDB to images).
# Training uses mmagic's GrowScaleImgDataset, an image-folder dataset whose batch size
# PGGANFetchDataHook changes per PGGAN stage (without the hook it is a plain folder dataset);
# real images for the SWD metric come from test_dataloader.
data_root = 'data/lsun/bedroom_train'  # images of 128 px or larger

train_pipeline = [
    dict(type='LoadImageFromFile', key='gt'),
    dict(type='Resize', keys='gt', scale=(128, 128)),
    dict(type='PackInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', key='gt'),
    dict(type='Resize', keys='gt', scale=(128, 128)),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='GrowScaleImgDataset', data_roots={'128': data_root},
                 pipeline=train_pipeline, len_per_stage=-1))
test_dataloader = dict(
    batch_size=64,
    num_workers=4,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='BasicImageDataset', data_root=data_root, data_prefix=dict(gt=''),
                 pipeline=test_pipeline))
