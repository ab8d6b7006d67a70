# Released checkpoint singan_csg_bohemian (see docs/model_zoo.md).
_base_ = ['./singan-release_csg_1xb1_fish.py']

train_dataloader = dict(dataset=dict(data_root='data/singan/bohemian.png', max_size=500))
