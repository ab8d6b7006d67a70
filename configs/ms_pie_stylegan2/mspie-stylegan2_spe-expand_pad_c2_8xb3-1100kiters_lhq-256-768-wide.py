# Any size (docs/any_size.md), landscape setting: the face setting's model and test metrics
# (Tab. 5 (f): zero padding, 512-channel SPE expanded) trained at 256x256, 256x512 and 256x768
# (4x4, 4x8 and 4x12 head cells) on landscape photos, e.g. LHQ (Skorokhodov et al., ICCV 2021:
# 90k landscapes at 1024x1024).  Real images are cropped to each scale's aspect ratio (random
# crop in training, centre crop for the metrics), then area-resized.
_base_ = ['./mspie-stylegan2_spe-expand_pad_c2_8xb3-1100kiters_ffhq-256-512-aspect.py']

data_root = 'data/lhq'  # set to your folder of landscape photos (at least 768 px wide)
ms_pie_scales = [256, (256, 512), (256, 768)]
ms_pie_probs = [0.5, 0.25, 0.25]
train_dataloader = dict(
    batch_sampler=dict(scales=ms_pie_scales, probs=ms_pie_probs),
    dataset=dict(dataset=dict(data_root=data_root)))
test_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = test_dataloader

test_cfg = dict(scales=ms_pie_scales)  # FID, P&R and scale consistency at these
