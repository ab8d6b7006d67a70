# Tab. 2(a): StyleGAN2-C2-256 (transposed convs, zero padding, learnable constant), one scale.
_base_ = [
    '../_base_/datasets/ffhq_ms_pie.py', '../_base_/models/ms_pie_stylegan2_c2.py',
    '../_base_/schedules/ms_pie_1100k.py'
]

train_dataloader = dict(batch_sampler=dict(scales=[256], probs=[1.0]))
model = dict(
    generator=dict(upsample=dict(type='TransposedConvUp')),
    discriminator=dict(pool_size=None))  # the plain StyleGAN2 head
# evaluated at its one scale (../_base_/evaluation/ lists the MS-PIE scales 256/384/512)
test_evaluator = dict(metrics=[
    dict(type='ScaleAwareFID', prefix='FID50k@256', scale=256, fake_nums=50000, real_nums=50000,
         sample_model='ema'),
    dict(type='ScaleAwarePrecisionRecall', prefix='PR10k@256', scale=256, fake_nums=10000,
         real_nums=10000, k=3, sample_model='ema')
])
