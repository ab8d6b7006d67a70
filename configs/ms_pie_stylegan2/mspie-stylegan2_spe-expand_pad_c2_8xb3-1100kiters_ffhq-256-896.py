# App. D.2: scales 256/512/896 (scale offsets 0, 4, 10), FID 4.10 at 896 in the paper.
_base_ = ['./mspie-stylegan2_spe-expand_pad_c2_8xb3-1100kiters_ffhq-256-512.py']

ms_pie_scales = [256, 512, 896]
train_dataloader = dict(batch_sampler=dict(scales=ms_pie_scales))
# evaluate at these scales (../_base_/evaluation/ lists 256/384/512)
test_evaluator = dict(metrics=[
    dict(type='ScaleAwareFID', prefix=f'FID50k@{s}', scale=s, fake_nums=50000, real_nums=50000,
         sample_model='ema') for s in ms_pie_scales
] + [
    dict(type='ScaleAwarePrecisionRecall', prefix=f'PR10k@{s}', scale=s, fake_nums=10000,
         real_nums=10000, k=3, sample_model='ema') for s in ms_pie_scales
])
