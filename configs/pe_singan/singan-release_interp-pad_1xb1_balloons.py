# Released checkpoint singan_interp-pad_balloons: as the disc-nobn one, but the
# discriminator keeps batch norm (see docs/model_zoo.md).
_base_ = ['./singan-release_interp-pad_disc-nobn_1xb1_balloons.py']

model = dict(discriminator=dict(norm_cfg=dict(_delete_=True, type='BN')))
