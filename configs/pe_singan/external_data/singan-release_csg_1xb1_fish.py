# Released checkpoint singan_csg_fish (see docs/model_zoo.md): CSG in mmagic's
# channel order added to the stage-0 noise, zero padding in every conv,
# one-channel noise after stage 0, 11 stages on data/singan/fish-crop.jpg.
_base_ = ['../singan_csg_1xb1_balloons.py']

num_scales = 10
model = dict(
    num_scales=num_scales,
    generator=dict(num_scales=num_scales, noise_channels=1,
                   head=dict(type='MMagicCartesianGrid2d')),
    discriminator=dict(num_scales=num_scales))
train_dataloader = dict(dataset=dict(data_root='data/singan/fish-crop.jpg', max_size=300))
train_cfg = dict(max_iters=(num_scales + 1) * 2000 * 3)
