# 256^2 StyleGAN2 config F (channel multiplier 2) trained with MS-PIE; variants swap the
# modules model.generator.head / upsample / padding by type (see configs/ms_pie_stylegan2/).
d_reg_interval = 16
g_reg_interval = 4
g_reg_ratio = g_reg_interval / (g_reg_interval + 1)
d_reg_ratio = d_reg_interval / (d_reg_interval + 1)
ema_half_life = 10.  # thousand images at batch 32 (mmagic's); 7.5k at this batch (8 x 3)

model = dict(
    type='MultiScaleStyleGAN2',
    data_preprocessor=dict(type='DataPreprocessor'),
    generator=dict(
        type='PositionalStyleGAN2Generator',
        out_size=256,
        style_channels=512,
        channel_multiplier=2,
        head=dict(type='LearnableConstant'),
        upsample=dict(type='BilinearThenConv'),  # bilinear 2x, then the conv (Tab. 2(b))
        padding=dict(type='ZeroPadConv')),
    discriminator=dict(
        type='MultiScaleStyleGAN2Discriminator', in_size=256, channel_multiplier=2,
        pool_size=2),
    ema_config=dict(
        type='ExponentialMovingAverage',
        interval=1,
        momentum=1. - (0.5**(32. / (ema_half_life * 1000.)))),
    loss_config=dict(
        r1_loss_weight=10. / 2. * d_reg_interval,
        r1_interval=d_reg_interval,
        norm_mode='HWC',
        g_reg_interval=g_reg_interval,
        g_reg_weight=2. * g_reg_interval,
        pl_batch_shrink=2),
)

# lazy regularisation: lr and betas scaled by the regularisation ratios (StyleGAN2 App. B)
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(
        optimizer=dict(type='Adam', lr=0.002 * g_reg_ratio, betas=(0., 0.99**g_reg_ratio))),
    discriminator=dict(
        optimizer=dict(type='Adam', lr=0.002 * d_reg_ratio, betas=(0., 0.99**d_reg_ratio))))
