# Tab. 4 (a): DCGAN with upsample + conv (no transposed conv) and zero padding, WGAN-GP (App. C.1).
_base_ = [
    '../_base_/models/dcgan_wgangp_padding_study.py', '../_base_/datasets/lsun_bedroom_128.py',
    '../_base_/schedules/dcgan_wgangp_160k.py'
]

model = dict(generator=dict(padding=dict(type='ZeroPadConv')))
