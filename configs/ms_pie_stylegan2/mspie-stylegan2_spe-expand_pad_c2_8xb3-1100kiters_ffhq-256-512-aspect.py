# Any size (docs/any_size.md), face setting: the Tab. 5 (f) model (zero padding, 512-channel SPE
# expanded) trained at square and at portrait 3:4 / landscape 4:3 scales.  A 256 model makes
# (4 + a) * 64 x (4 + b) * 64 pixels: 512x384 (8x6 head cells, h x w) and 384x512 (6x8).  Real
# images are cropped to each scale's aspect ratio (random crop in training, centre crop for the
# metrics), then area-resized; the adaptive-pool discriminator takes every size.
_base_ = ['./mspie-stylegan2_spe-expand_pad_c2_8xb3-1100kiters_ffhq-256-512.py']

ms_pie_scales = [256, 384, 512, (512, 384), (384, 512)]
ms_pie_probs = [0.3, 0.2, 0.2, 0.15, 0.15]
train_dataloader = dict(batch_sampler=dict(scales=ms_pie_scales, probs=ms_pie_probs))

# Test (tools/test.py): FID50k, P&R10k (k = 3) and scale consistency of the EMA generator at
# every training scale.  MultiScaleTestLoop repeats each scale-less metric per scale (prefixes
# FID50k@256x512, ...): the generator samples at that (h, w) and the real images
# (test_dataloader) are centre-cropped to its aspect ratio and area-resized.  ScaleConsistency
# measures every pair of those sizes from the same latents (L1 and LPIPS; LPIPS needs
# torchvision's AlexNet file, see docs/evaluation.md); match='crop' compares the centre of the
# larger canvas with the smaller output (the scene an expanded head extends).
test_cfg = dict(_delete_=True, type='MultiScaleTestLoop', scales=ms_pie_scales)
test_evaluator = dict(_delete_=True, type='Evaluator', metrics=[
    dict(type='ScaleAwareFID', prefix='FID50k', fake_nums=50000, real_nums=50000,
         sample_model='ema'),
    dict(type='ScaleAwarePrecisionRecall', prefix='PR10k', fake_nums=10000, real_nums=10000, k=3,
         sample_model='ema'),
    dict(type='ScaleConsistency', fake_nums=1000, match='crop', sample_model='ema'),
])
