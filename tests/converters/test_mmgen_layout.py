"""Released MS-PIE checkpoints in MMGeneration 0.7's layout convert and match mmagic's outputs.

The Tab. 5 checkpoints were trained with MMGeneration 0.x.  Its layout,
read from MMGeneration 0.7.3's source (``mmgen`` on the package index; not
installed here):

* the modules (``MSStyleGANv2Generator``, ``MSStyleGAN2Discriminator`` and
  their ``styleganv2_modules``, ``pggan`` equalized-lr and positional
  encodings) have exactly the attribute names and buffers of the modules
  mmagic 1.2 ported from them, so per-module keys are mmagic's;
* ``StaticUnconditionalGAN`` (``MSPIEStyleGAN2`` derives from it) holds
  ``generator``, ``discriminator``, ``gan_loss`` and ``disc_auxiliary_losses``
  (no tensors), ``gen_auxiliary_losses`` (a ``ModuleList`` around
  ``GeneratorPathRegularizer``, whose buffer is ``mean_path_length``) and,
  with ``use_ema``, ``generator_ema = deepcopy(generator)``: a plain module,
  so ``generator_ema.<key>`` without mmagic's ``.module`` and ``steps``;
* mmcv 1.x's ``save_checkpoint`` writes ``meta`` (with the training config
  as text under ``config``), ``state_dict`` (inner DDP wrappers removed) and
  ``optimizer`` (one state per optimizer).

:class:`MMGen07MSPIEStyleGAN2` rebuilds that module tree around mmagic's
generator/discriminator, so its ``state_dict()`` has the old keys.
"""
import pytest
import torch
from torch import nn

from mmposgan.apis import init_model
from mmposgan.converters import convert_mmagic_checkpoint, detect_layout
from mmposgan.utils.state_dict_check import CheckpointMismatchError
from .test_mmagic_parity import OUT_SIZE, STYLE, TOL, build_pair
from .test_release_architecture import small_release_cfg

#: Lines of MMGeneration 0.7.3's released configs that the converter reads
#: (configs/positional_encoding_in_gans/mspie-stylegan2_c2_config-{e,f}_*.py).
MMGEN_CONFIG_TEXT = {
    'e': "model = dict(type='MSPIEStyleGAN2', generator=dict(type='MSStyleGANv2Generator', "
         "head_pos_encoding=dict(type='SPE', embedding_dim=256, padding_idx=0, init_size=256, "
         "center_shift=100), deconv2conv=True, up_after_conv=True, head_pos_size=(4, 4), "
         "interp_head=True, out_size=256))\n"
         "train_cfg = dict(use_ema=True, num_upblocks=6, multi_input_scales=[0, 2, 4], "
         "multi_scale_probability=[0.5, 0.25, 0.25])\n",
    'f': "model = dict(type='MSPIEStyleGAN2', generator=dict(type='MSStyleGANv2Generator', "
         "head_pos_encoding=dict(type='SPE', embedding_dim=256, padding_idx=0, init_size=256, "
         "center_shift=100), deconv2conv=True, up_after_conv=True, head_pos_size=(4, 4), "
         "up_config=dict(scale_factor=2, mode='bilinear', align_corners=True), out_size=256))\n"
         "train_cfg = dict(use_ema=True, num_upblocks=6, multi_input_scales=[0, 2, 4], "
         "multi_scale_probability=[0.5, 0.25, 0.25])\n",
}


class MMGen07MSPIEStyleGAN2(nn.Module):
    """The module tree of MMGeneration 0.7.3's ``MSPIEStyleGAN2`` (see the module docstring)."""

    def __init__(self, generator, generator_ema, discriminator, mean_path_length):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.gan_loss = nn.Module()  # GANLoss: no parameters or buffers
        self.disc_auxiliary_losses = nn.ModuleList([nn.Module()])  # R1GradientPenalty: none
        path_regularizer = nn.Module()
        path_regularizer.register_buffer('mean_path_length', torch.tensor(mean_path_length))
        self.gen_auxiliary_losses = nn.ModuleList([path_regularizer])
        self.generator_ema = generator_ema


def mmgen_checkpoint(gen, ema, disc, letter):
    """What MMGeneration 0.7's runner saved for a Tab. 5 setting."""
    model = MMGen07MSPIEStyleGAN2(gen, ema, disc, mean_path_length=0.75)
    optim = torch.optim.Adam(gen.parameters())
    return dict(
        meta=dict(mmcv_version='1.7.0', time='Tue Apr  6 14:48:24 2021', epoch=1, iter=1100000,
                  config=MMGEN_CONFIG_TEXT[letter], exp_name='mspie-stylegan2'),
        state_dict={k: v.detach().clone() for k, v in model.state_dict().items()},
        optimizer=dict(generator=optim.state_dict(), discriminator=optim.state_dict()))


@pytest.mark.parametrize('letter', ['e', 'f'])
def test_mmgen_layout_converts_and_matches_at_every_scale(letter):
    torch.manual_seed(0)
    gen, ema, disc, model, scales = build_pair(letter)
    ckpt = mmgen_checkpoint(gen, ema, disc, letter)
    assert 'generator_ema.style_mapping.1.linear.weight_orig' in ckpt['state_dict']
    assert 'gen_auxiliary_losses.0.mean_path_length' in ckpt['state_dict']
    assert detect_layout(ckpt) == 'mmagic-stylegan2'
    converted = convert_mmagic_checkpoint(ckpt)
    info = converted['meta']['mmposgan_conversion']
    assert info['training'] == dict(scale_offsets=[0, 2, 4],
                                    head_resize='interp' if letter == 'e' else 'expand')
    assert 'optimizer' not in converted
    model.load_state_dict(converted['state_dict'], strict=True)
    assert float(model.mean_path_length) == 0.75
    z = torch.randn(2, STYLE)
    with torch.no_grad():
        for offset in scales:
            noise = gen.make_injected_noise(offset)
            want = gen(z, injected_noise=noise, chosen_scale=offset, randomize_noise=False)
            got = model.generator(z, scale_offset=offset, injected_noise=noise)
            assert got.shape[-1] == (4 + offset) * OUT_SIZE // 4
            torch.testing.assert_close(got, want, **TOL)
        want_ema = ema(z, injected_noise=noise, chosen_scale=offset, randomize_noise=False)
        torch.testing.assert_close(
            model.generator_ema.module(z, scale_offset=offset, injected_noise=noise), want_ema,
            **TOL)
        side = (4 + offset) * 8 // 4
        img = torch.randn(2, 3, side, side)
        torch.testing.assert_close(model.discriminator(img), disc(img), **TOL)


def test_mmgen_file_loads_into_its_config_and_not_into_another(tmp_path):
    """The training config inside the released file tells (e) from (f): same keys and shapes."""
    torch.manual_seed(0)
    gen, ema, disc, _, _ = build_pair('e')
    path = str(tmp_path / 'config-e.pth')
    torch.save(mmgen_checkpoint(gen, ema, disc, 'e'), path)
    model = init_model(small_release_cfg('e'), path)
    z = torch.randn(1, STYLE)
    noise = gen.make_injected_noise(2)
    with torch.no_grad():
        torch.testing.assert_close(model.generator(z, scale_offset=2, injected_noise=noise),
                                   gen(z, injected_noise=noise, chosen_scale=2,
                                       randomize_noise=False), **TOL)
    with pytest.raises(CheckpointMismatchError,
                       match=r"model\.generator\.head\.resize: checkpoint 'interp', config "
                             r"'expand'"):
        init_model(small_release_cfg('f'), path)
