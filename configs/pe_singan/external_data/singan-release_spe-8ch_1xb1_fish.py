# Released checkpoint singan_spe-dim4_fish (see docs/model_zoo.md): mmagic's SPE
# with embedding_dim 4 per axis, i.e. 8 channels, positions 1..W from the
# top-left; 11 stages on data/singan/fish-crop.jpg.  Its stage-0 noise is one map
# broadcast over the encoding (mmagic's default first_fixed_noises_ch=1).
_base_ = ['../singan_spe-8ch_1xb1_balloons.py']

num_scales = 10
model = dict(
    num_scales=num_scales,
    generator=dict(
        num_scales=num_scales,
        head=dict(type='MMagicSinusoidalEncoding2d'),
        first_noise=dict(type='SharedNoise'),
        noise=dict(type='SharedNoise')),
    discriminator=dict(num_scales=num_scales))
train_dataloader = dict(dataset=dict(data_root='data/singan/fish-crop.jpg', max_size=300))
train_cfg = dict(max_iters=(num_scales + 1) * 2000 * 3)
