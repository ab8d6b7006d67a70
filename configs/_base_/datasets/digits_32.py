# scikit-learn's bundled digits (1797 centred 8x8 digits), bilinearly upsampled to 32 px and
# replicated to RGB (mmposgan.datasets.SklearnDigitsDataset); nothing is downloaded.
train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='SklearnDigitsDataset', size=32,
                 pipeline=[dict(type='PackInputs', keys=['gt'])]))
