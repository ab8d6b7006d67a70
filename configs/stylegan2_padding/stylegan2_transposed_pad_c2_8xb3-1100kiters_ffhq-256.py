# Tab. 2(a): StyleGAN2-C2-256 (transposed convs, zero padding, learnable constant), one scale.
_base_ = [
    '../_base_/datasets/ffhq_ms_pie.py', '../_base_/models/ms_pie_stylegan2_c2.py',
    '../_base_/schedules/ms_pie_1100k.py'
]

train_dataloader = dict(batch_sampler=dict(scales=[256], probs=[1.0]))
model = dict(
    generator=dict(upsample='transposed'),
    discriminator=dict(pool_size=None))  # the plain StyleGAN2 head
