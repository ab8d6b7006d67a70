# App. D.2: lite generator (C1) at scales 256/512/1024 (offsets 0, 4, 12), batch 2 x 8 GPUs.
_base_ = ['./mspie-stylegan2_spe-expand_pad_c1_8xb3-1100kiters_ffhq-256-512.py']

ms_pie_scales = [256, 512, 1024]
train_dataloader = dict(batch_size=2, batch_sampler=dict(scales=ms_pie_scales))
train_cfg = dict(max_iters=1500000)
# evaluate at these scales (../_base_/evaluation/ lists 256/384/512)
test_evaluator = dict(metrics=[
    dict(type='ScaleAwareFID', prefix=f'FID50k@{s}', scale=s, fake_nums=50000, real_nums=50000,
         sample_model='ema') for s in ms_pie_scales
] + [
    dict(type='ScaleAwarePrecisionRecall', prefix=f'PR10k@{s}', scale=s, fake_nums=10000,
         real_nums=10000, k=3, sample_model='ema') for s in ms_pie_scales
])
