# Any size (docs/any_size.md), face setting: the Tab. 5 (f) model (zero padding, 512-channel SPE
# expanded) trained at square and at portrait 3:4 / landscape 4:3 scales.  A 256 model makes
# (4 + a) * 64 x (4 + b) * 64 pixels: 512x384 (8x6 head cells, h x w) and 384x512 (6x8).  Real
# images are cropped to each scale's aspect ratio (random crop in training, centre crop for the
# metrics), then area-resized; the adaptive-pool discriminator takes every size.
_base_ = ['./mspie-stylegan2_spe-expand_pad_c2_8xb3-1100kiters_ffhq-256-512.py']

ms_pie_scales = [256, 384, 512, (512, 384), (384, 512)]
ms_pie_probs = [0.3, 0.2, 0.2, 0.15, 0.15]
train_dataloader = dict(batch_sampler=dict(scales=ms_pie_scales, probs=ms_pie_probs))

# FID50k and P&R10k at every training scale (validation repeats them per scale by itself)
ms_pie_eval_scales = ms_pie_scales
test_evaluator = dict(_delete_=True, type='Evaluator', metrics=[
    dict(type=metric, prefix=f'{name}@{s if isinstance(s, int) else "x".join(map(str, s))}',
         scale=s, sample_model='ema', **kwargs)
    for s in ms_pie_eval_scales
    for metric, name, kwargs in [
        ('ScaleAwareFID', 'FID50k', dict(fake_nums=50000, real_nums=50000)),
        ('ScaleAwarePrecisionRecall', 'PR10k', dict(fake_nums=10000, real_nums=10000, k=3))]
] + [dict(type='ScaleConsistency', fake_nums=1000, sizes=ms_pie_eval_scales, match='crop')])
