# Builds the structure of the released mmagic checkpoint singan_interp-pad_disc-nobn_balloons
# (padding-free PE-SinGAN, §4.4); see docs/model_zoo.md.  mmagic draws one noise
# map shared by the colour channels after stage 0, and its balloons pyramid
# tops out at 300 px.
_base_ = ['./singan_interp-pad_disc-nobn_1xb1_balloons.py']

model = dict(generator=dict(noise=dict(type='SharedNoise')))
train_dataloader = dict(dataset=dict(max_size=300))
