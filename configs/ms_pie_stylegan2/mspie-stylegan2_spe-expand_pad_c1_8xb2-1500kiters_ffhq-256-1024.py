# App. D.2: lite generator (C1) at scales 256/512/1024 (offsets 0, 4, 12), batch 2 x 8 GPUs.
_base_ = ['./mspie-stylegan2_spe-expand_pad_c1_8xb3-1100kiters_ffhq-256-512.py']

ms_pie_scales = [256, 512, 1024]
train_dataloader = dict(batch_size=2, batch_sampler=dict(scales=ms_pie_scales))
train_cfg = dict(max_iters=1500000)
