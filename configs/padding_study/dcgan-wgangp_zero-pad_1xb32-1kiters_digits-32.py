# Scaled-down Tab. 4 (a) on a 2-core CPU: zero-padded upsample + conv DCGAN with WGAN-GP on
# scikit-learn's digits at 32 px (docs/experiments.md; tools/experiments/padding_study_digits.py).
# Budget: 1000 iterations of batch 32, a generator step every 2 critic steps (500 G steps).
_base_ = [
    '../_base_/models/dcgan_wgangp_padding_study.py', '../_base_/datasets/digits_32.py',
    '../_base_/schedules/dcgan_wgangp_160k.py'
]

model = dict(
    generator=dict(out_size=32, base_channels=64, padding=dict(type='ZeroPadConv')),
    discriminator=dict(in_size=32, base_channels=16, max_channels=64),
    discriminator_steps=2)
train_dataloader = dict(batch_size=32)
train_cfg = dict(max_iters=1000)
optim_wrapper = dict(
    generator=dict(optimizer=dict(lr=0.0002)), discriminator=dict(optimizer=dict(lr=0.0002)))
default_hooks = dict(logger=dict(interval=200), checkpoint=dict(interval=1000, max_keep_ckpts=1))
custom_hooks = []
# SWD is measured by the experiment tool on its own samples (no test loop)
test_cfg = test_dataloader = test_evaluator = None
