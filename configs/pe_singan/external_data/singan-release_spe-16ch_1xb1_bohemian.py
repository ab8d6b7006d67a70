# Released checkpoint singan_spe-dim8_bohemian (see docs/model_zoo.md): 16-channel SPE.
_base_ = ['./singan-release_spe-8ch_1xb1_bohemian.py']

model = dict(generator=dict(head=dict(out_channels=16)))
