# Tab. 6 (a): PGGAN with zero padding (mmagic's architecture, transposed-conv upsampling).
_base_ = [
    '../_base_/models/pggan_padding_study_128.py', '../_base_/datasets/lsun_bedroom_128.py',
    '../_base_/schedules/pggan_12mimgs.py'
]

model = dict(generator=dict(padding=dict(type='ZeroPadConv')))
# batch per GPU at each stage (8 GPUs: 512/256/128/64/32 images, 32 at 128 px), as mmagic's PGGAN
train_dataloader = dict(
    dataset=dict(gpu_samples_base=4,
                 gpu_samples_per_scale={'4': 64, '8': 32, '16': 16, '32': 8, '64': 4}))
