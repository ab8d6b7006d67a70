# Builds the structure of the released mmagic checkpoint mspie-stylegan2_c2_config-i_ffhq_256-512
# (Tab. 5 config i); see docs/model_zoo.md.
_base_ = ['./mspie-stylegan2_csg-interp_nopad_c2_8xb3-1100kiters_ffhq-256-512.py']

model = dict(
    generator=dict(
        upsample='bilinear',  # interpolate, then conv
        skip_upsample='fir',
        padding=dict(_delete_=True, type='BlockInterpPad'),  # mmagic's interp_pad=4
        head=dict(convention='mmagic'),  # mmagic's SPE / CSG layout
    ))
