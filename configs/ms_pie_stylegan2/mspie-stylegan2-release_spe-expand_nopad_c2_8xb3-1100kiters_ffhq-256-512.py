# Builds the structure of the released mmagic checkpoint mspie-stylegan2_c2_config-k_ffhq_256-512
# (Tab. 5 config k); see docs/model_zoo.md.
_base_ = ['./mspie-stylegan2_spe-expand_nopad_c2_8xb3-1100kiters_ffhq-256-512.py']

model = dict(
    generator=dict(
        upsample='bilinear',  # interpolate, then conv
        skip_upsample='fir',
        padding=dict(_delete_=True, type='BlockInterpPad'),  # mmagic's interp_pad=4
        head=dict(convention='mmagic'),  # mmagic's SPE / CSG layout
    ))
