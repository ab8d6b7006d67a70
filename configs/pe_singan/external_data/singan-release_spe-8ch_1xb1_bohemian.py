# Released checkpoint singan_spe-dim4_bohemian (see docs/model_zoo.md): unlike the fish
# one, its stage-0 noise has one map per encoding channel (first_fixed_noises_ch=8).
_base_ = ['./singan-release_spe-8ch_1xb1_fish.py']

model = dict(generator=dict(first_noise=dict(type='PerChannelNoise')))

train_dataloader = dict(dataset=dict(data_root='data/singan/bohemian.png', max_size=500))
