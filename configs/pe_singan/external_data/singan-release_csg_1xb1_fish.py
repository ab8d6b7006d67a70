# Released checkpoint singan_csg_fish (see docs/model_zoo.md): CSG in mmagic's
# channel order added to a two-channel stage-0 noise (mmagic's first_fixed_noises_ch=2),
# zero padding in every conv, one-channel noise after stage 0, 11 stages on
# data/singan/fish-crop.jpg.
_base_ = ['../singan_csg_1xb1_balloons.py']

num_scales = 10
model = dict(
    num_scales=num_scales,
    generator=dict(
        num_scales=num_scales,
        head=dict(type='MMagicCartesianGrid2d'),
        first_noise=dict(type='PerChannelNoise'),
        noise=dict(type='SharedNoise')),
    discriminator=dict(num_scales=num_scales))
train_dataloader = dict(dataset=dict(data_root='data/singan/fish-crop.jpg', max_size=300))
train_cfg = dict(max_iters=(num_scales + 1) * 2000 * 3)
