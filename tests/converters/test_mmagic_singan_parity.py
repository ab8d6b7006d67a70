"""Converted PE-SinGAN checkpoints (+ fixed-noise side file) give mmagic's outputs (§4.4).

mmagic's ``SinGANMSGeneratorPE`` / ``SinGANMultiScaleDiscriminator`` are built
from mmagic's released configs (3 stages instead of 9-11, small images; same
head, padding, noise and norm settings), given random weights and BN
statistics, saved as mmagic does (weights in the ``.pth``, fixed noises,
noise weights and stage in a pickle side file) and converted; our model built
from our release config must reproduce every stage in ``recon`` mode and in
``rand`` mode from the same seed.  Nothing is downloaded.
"""
import os
import os.path as osp
import pickle

import mmagic
import pytest
import torch
from mmagic.registry import MODELS as MMAGIC_MODELS
from mmengine import Config
from mmengine.registry import init_default_scope

from mmposgan.converters import convert_mmagic_checkpoint, detect_layout, load_singan_side_file
from mmposgan.registry import MODELS

MMAGIC_CFG = osp.join(osp.dirname(mmagic.__file__), '.mim', 'configs',
                      'positional_encoding_in_gans')
OURS = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'pe_singan')
TOL = dict(atol=1e-5, rtol=1e-5)
NUM_SCALES = 2
SIZES = [(13, 17), (17, 23), (23, 30)]

#: mmagic released config -> our release config (one per distinct structure)
RELEASED = {
    'csg': ('singan-csg_fish', 'external_data/singan-release_csg_1xb1_fish'),
    'spe-dim4-1ch-noise': ('singan_spe-dim4_fish',
                           'external_data/singan-release_spe-8ch_1xb1_fish'),
    'spe-dim8': ('singan_spe-dim8_bohemian', 'external_data/singan-release_spe-16ch_1xb1_bohemian'),
    'interp-pad': ('singan_interp-pad_balloons', 'singan-release_interp-pad_1xb1_balloons'),
    'interp-pad-disc-nobn': ('singan_interp-pad_disc-nobn_balloons',
                             'singan-release_interp-pad_disc-nobn_1xb1_balloons'),
}


def randomize(module, seed):
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if t.is_floating_point():
                r = torch.randn(t.shape, generator=gen)
                t.copy_(r.abs() + 0.5 if name.endswith('running_var') else r * 0.2)
    return module.eval()


def fixed_noises(cfg):
    """As mmagic's ``PESinGAN.construct_fixed_noises``, but random at every stage."""
    pad = cfg.generator.get('num_layers', 5) * (3 // 2) if cfg.get('fixed_noise_with_pad') \
        else 0
    noises = []
    for i, (h, w) in enumerate(SIZES):
        ch = cfg.get('first_fixed_noises_ch', 1) if i == 0 else 1
        noises.append(torch.randn(1, ch, h + 2 * pad, w + 2 * pad))
    return noises


def released_pair(name, tmp_path):
    theirs = Config.fromfile(osp.join(MMAGIC_CFG, RELEASED[name][0] + '.py')).model
    ours = Config.fromfile(osp.join(OURS, RELEASED[name][1] + '.py')).model
    for cfg in (theirs, ours):
        cfg.generator.num_scales = cfg.discriminator.num_scales = NUM_SCALES
        cfg.num_scales = NUM_SCALES
    gen = randomize(MMAGIC_MODELS.build(theirs.generator), 1)
    disc = randomize(MMAGIC_MODELS.build(theirs.discriminator), 2)
    noises = fixed_noises(theirs)
    weights = [1.0, 0.3, 0.2]
    side = osp.join(tmp_path, 'fixed_noises.pkl')
    with open(side, 'wb') as f:  # what mmagic's SinGAN writes next to its checkpoints
        pickle.dump(dict(fixed_noises=[n.numpy() for n in noises], noise_weights=weights,
                         curr_stage=NUM_SCALES), f)
    sd = {f'generator.{k}': v for k, v in gen.state_dict().items()}
    sd.update({f'discriminator.{k}': v for k, v in disc.state_dict().items()})
    init_default_scope('mmposgan')
    model = MODELS.build(ours).eval()
    return gen, disc, noises, weights, dict(meta={}, state_dict=sd), side, model


@pytest.mark.parametrize('name', list(RELEASED))
def test_pe_singan_matches_mmagic_at_every_stage(name, tmp_path):
    torch.manual_seed(0)
    gen, disc, noises, weights, ckpt, side, model = released_pair(name, tmp_path)
    assert detect_layout(ckpt) == 'mmagic-singan'
    converted = convert_mmagic_checkpoint(ckpt, singan_side_file=side)
    model.load_state_dict(converted['state_dict'], strict=True)
    assert model.curr_stage == NUM_SCALES and model.noise_weights == weights
    assert [n.shape for n in model.fixed_noises] == [n.shape for n in noises]
    with torch.no_grad():
        for stage in range(NUM_SCALES + 1):
            want = gen(None, noises, weights, 'recon', stage)
            got = model.gen(None, model.fixed_noises, model.noise_weights, 'recon', stage)
            assert got.shape[-2:] == SIZES[stage]
            torch.testing.assert_close(got, want, **TOL)
            torch.manual_seed(stage)
            want = gen(None, noises, weights, 'rand', stage, num_batches=2)
            torch.manual_seed(stage)
            got = model.gen(None, model.fixed_noises, model.noise_weights, 'rand', stage,
                            num_batches=2)
            torch.testing.assert_close(got, want, **TOL)
            img = torch.randn(2, 3, *SIZES[stage])
            torch.testing.assert_close(model.discriminator(img, stage), disc(img, stage), **TOL)
        # the checkpoint alone now samples: the side file travels inside it
        assert model.sample(2, seed=1).shape == (2, 3, *SIZES[-1])


def test_side_file_loader_refuses_code(tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, ('echo pwned',))

    path = osp.join(tmp_path, 'evil.pkl')
    with open(path, 'wb') as f:
        pickle.dump(dict(fixed_noises=[Evil()], noise_weights=[1.0], curr_stage=0), f)
    with pytest.raises(pickle.UnpicklingError, match='refused posix.system|refused os.system'):
        load_singan_side_file(path)


def test_side_file_must_describe_one_singan(tmp_path):
    path = osp.join(tmp_path, 'bad.pkl')
    with open(path, 'wb') as f:
        pickle.dump(dict(fixed_noises=[torch.zeros(1, 1, 4, 4).numpy()], noise_weights=[1., .1],
                         curr_stage=0), f)
    with pytest.raises(ValueError, match='1 fixed noises, 2 noise weights'):
        load_singan_side_file(path)
    with open(path, 'wb') as f:
        pickle.dump([1, 2], f)
    with pytest.raises(ValueError, match='not a SinGAN side file'):
        load_singan_side_file(path)
