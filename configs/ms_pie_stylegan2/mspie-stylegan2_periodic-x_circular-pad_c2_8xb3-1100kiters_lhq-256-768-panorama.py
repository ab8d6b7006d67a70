# Any size, seamless (docs/any_size.md): 360-degree panoramas whose left and right edges join.
# The landscape setting (256x256, 256x512, 256x768) with the circular border mode along x
# (CircularPad: the opposite edge along the width, zeros along the height, every resampling
# periodic along x, the RGB skip upsampled periodically) and a 512-channel periodic encoding
# (sinusoids whose period is the output width; a half circle along the height).  The photos
# need not be panoramas: every generated image is one period of a periodic image.
_base_ = ['./mspie-stylegan2_spe-expand_pad_c2_8xb3-1100kiters_lhq-256-768-wide.py']

model = dict(
    generator=dict(
        head=dict(_delete_=True, type='PeriodicEncoding2d', out_channels=512, axes='x'),
        padding=dict(_delete_=True, type='CircularPad', axes='x')))
