"""A converted release checkpoint loads only into the structure it was converted for.

Tab. 5 (f) and (k) have the same keys and shapes (they differ in padding
and upsampling, which hold no weights): before the recorded architecture
was compared, an (f) checkpoint loaded into the (k) config silently and
sampled wrong images.
"""
import os.path as osp

import pytest
import torch
from mmengine import Config

from mmposgan.apis import init_model
from mmposgan.converters import convert_mmagic_checkpoint
from mmposgan.converters.architecture import (check_converted_architecture, config_value,
                                              expected_config)
from mmposgan.utils.state_dict_check import CheckpointMismatchError
from .test_mmagic_parity import (OURS, OUT_SIZE, STYLE, TAB5, build_pair, mmagic_checkpoint,
                                 small_channels)


def small_release_cfg(letter):
    """Our release config of a Tab. 5 row at the parity tests' small sizes."""
    cfg = Config.fromfile(osp.join(OURS, TAB5[letter][1] + '.py'))
    g = cfg.model.generator
    multiplier = g.get('channel_multiplier', 2)
    channels = small_channels(multiplier)
    g.update(out_size=OUT_SIZE, style_channels=STYLE, num_mlps=2, channels=channels)
    if g.head.type != 'LearnableConstant':
        g.head.pop('out_channels', None)
    if g.head.type in ('MMagicSinusoidalEncoding2d', 'LearnableConstant'):
        g.head.out_channels = channels[4]
    cfg.model.discriminator.update(in_size=8)
    cfg.train_dataloader.batch_sampler.scales = [OUT_SIZE, OUT_SIZE * 3 // 2, OUT_SIZE * 2]
    return cfg


@pytest.fixture(scope='module')
def config_f_file(tmp_path_factory):
    torch.manual_seed(0)
    gen, ema, disc, _, _ = build_pair('f')
    path = str(tmp_path_factory.mktemp('release') / 'config-f.pth')
    torch.save(mmagic_checkpoint(gen, ema, disc), path)
    return path


def test_config_f_checkpoint_refused_by_the_config_k_model(config_f_file):
    init_model(small_release_cfg('f'), config_f_file)  # its own structure: loads
    with pytest.raises(CheckpointMismatchError) as info:
        init_model(small_release_cfg('k'), config_f_file)
    message = str(info.value)
    assert '\n' not in message and config_f_file in message
    assert "model.generator.padding.type: checkpoint 'ZeroPadConv', config 'InterpPad'" \
        in message
    assert ("model.generator.upsample.type: checkpoint 'ConvThenBilinear', config "
            "'BilinearThenConv'") in message
    model = init_model(small_release_cfg('k'), config_f_file, strict=False)  # on purpose
    assert model.generator.padding.__class__.__name__ == 'InterpPad'


STRUCTURE = ('model.generator.head.type', 'model.generator.padding.type',
             'model.generator.upsample.type')


@pytest.mark.parametrize('letter', ['c', 'd', 'e', 'g', 'h', 'i', 'j', 'k'])
def test_every_release_config_matches_what_its_checkpoint_records(letter):
    """Each Tab. 5 release config builds what the converter reads from its mmagic checkpoint,
    and every release config of another head, padding or upsampling is refused."""
    torch.manual_seed(0)
    gen, ema, disc, _, _ = build_pair(letter)
    converted = convert_mmagic_checkpoint(mmagic_checkpoint(gen, ema, disc))
    own = small_release_cfg(letter)
    check_converted_architecture(own, converted, letter)
    for other in TAB5:
        cfg = small_release_cfg(other)
        if any(config_value(cfg.to_dict(), p) != config_value(own.to_dict(), p)
               for p in STRUCTURE):
            with pytest.raises(CheckpointMismatchError):
                check_converted_architecture(cfg, converted, other)


def test_config_values_fall_back_to_constructor_defaults():
    cfg = small_release_cfg('f').to_dict()
    assert config_value(cfg, 'model.generator.head.type') == 'MMagicSinusoidalEncoding2d'
    cfg['model']['generator'].pop('upsample')
    import inspect

    from mmposgan.registry import MODELS
    default = inspect.signature(MODELS.get('PositionalStyleGAN2Generator')).parameters['upsample']
    assert config_value(cfg, 'model.generator.upsample') == default.default
    assert expected_config(dict(source='mmagic-singan', num_stages=3)) == {}
