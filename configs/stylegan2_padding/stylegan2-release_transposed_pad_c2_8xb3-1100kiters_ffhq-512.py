# Tab. 5(b): StyleGAN2-C2-512, the structure of the released mmagic checkpoint
# stylegan2_c2_config-b_ffhq_512x512 (see docs/model_zoo.md).  Tab. 5(a) (256 px)
# is stylegan2_transposed_pad_c2_8xb3-1100kiters_ffhq-256.py itself.
_base_ = ['./stylegan2_transposed_pad_c2_8xb3-1100kiters_ffhq-256.py']

train_dataloader = dict(batch_sampler=dict(scales=[512], probs=[1.0]))
model = dict(generator=dict(out_size=512), discriminator=dict(in_size=512))
test_evaluator = dict(metrics=[
    dict(type='ScaleAwareFID', prefix='FID50k@512', scale=512, fake_nums=50000, real_nums=50000,
         sample_model='ema'),
    dict(type='ScaleAwarePrecisionRecall', prefix='PR10k@512', scale=512, fake_nums=10000,
         real_nums=10000, k=3, sample_model='ema')
])
