# App. D.2: scales 256/512/896 (scale offsets 0, 4, 10), FID 4.10 at 896 in the paper.
_base_ = ['./mspie-stylegan2_spe-expand_pad_c2_8xb3-1100kiters_ffhq-256-512.py']

ms_pie_scales = [256, 512, 896]
train_dataloader = dict(batch_sampler=dict(scales=ms_pie_scales))
