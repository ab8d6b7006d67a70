# Tab. 2(b): transposed convs replaced by bilinear upsampling + conv.
_base_ = ['./stylegan2_transposed_pad_c2_8xb3-1100kiters_ffhq-256.py']

model = dict(generator=dict(upsample=dict(type='BilinearThenConv')))
