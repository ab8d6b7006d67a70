# Builds the structure of the released mmagic checkpoint mspie-stylegan2_c2_config-j_ffhq_256-512
# (Tab. 5 config j); see docs/model_zoo.md.
_base_ = ['./mspie-stylegan2_spe-interp_nopad_c2_8xb3-1100kiters_ffhq-256-512.py']

# the paper config with the released structure's modules (mmposgan/models/layers/release_compat.py)
model = dict(
    generator=dict(
        skip_upsample=dict(type='FIRUpsample'),  # the zero-padded FIR skip of StyleGAN2
        head=dict(type='MMagicSinusoidalEncoding2d'),  # mmagic's SPE2d layout
    ))
# The released checkpoint was trained with the scales drawn uniformly: the authors' MMGeneration
# code passed the probabilities as np.random.choice's 'replace' argument (docs/ms_pie.md).
train_dataloader = dict(batch_sampler=dict(probs=None))  # None: uniform
