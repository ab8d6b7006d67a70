# Released checkpoint singan_interp-pad_disc-nobn_fish (see docs/model_zoo.md):
# 11 stages (num_scales=10) on mmagic's fish-crop image, placed at data/singan/.
_base_ = ['../singan-release_interp-pad_disc-nobn_1xb1_balloons.py']

num_scales = 10
model = dict(
    num_scales=num_scales, generator=dict(num_scales=num_scales),
    discriminator=dict(num_scales=num_scales))
train_dataloader = dict(dataset=dict(data_root='data/singan/fish-crop.jpg', max_size=300))
train_cfg = dict(max_iters=(num_scales + 1) * 2000 * 3)
