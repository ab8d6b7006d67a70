"""tools/model_converters/mmagic_to_mmposgan.py and the converter's error messages."""
import os.path as osp
import pickle

import pytest
import torch

from mmposgan.converters import convert_mmagic_checkpoint, is_mmagic_checkpoint
from mmposgan.utils.safe_load import safe_torch_load
from ..helpers.tools import load_tool
from .test_mmagic_parity import build_pair, mmagic_checkpoint

TOOL = ('model_converters', 'mmagic_to_mmposgan.py')


def test_tool_converts_and_the_result_loads_safely(tmp_path, capsys):
    gen, ema, disc, model, _ = build_pair('k')
    src, dst = osp.join(tmp_path, 'in.pth'), osp.join(tmp_path, 'out', 'ours.pth')
    torch.save(mmagic_checkpoint(gen, ema, disc), src)
    tool = load_tool(*TOOL)
    tool.main([src, dst])
    assert 'converted mmagic-stylegan2 checkpoint' in capsys.readouterr().out
    assert not osp.exists(dst + '.part')
    ckpt = safe_torch_load(dst)  # weights_only=True, mmposgan's allow list
    assert not is_mmagic_checkpoint(ckpt)
    assert ckpt['meta']['mmposgan_conversion']['generator']['padding'] == 'InterpPad'
    model.load_state_dict(ckpt['state_dict'], strict=True)
    # converting an mmposgan checkpoint again is a copy
    tool.main([dst, osp.join(tmp_path, 'again.pth')])
    assert 'already an mmposgan checkpoint' in capsys.readouterr().out


def test_tool_asks_for_the_singan_side_file(tmp_path):
    sd = {'generator.blocks.0.head.conv.weight': torch.zeros(32, 3, 3, 3)}
    src = osp.join(tmp_path, 'singan.pth')
    torch.save(dict(state_dict=sd), src)
    with pytest.raises(ValueError, match='pass its fixed-noise side file with --noise'):
        load_tool(*TOOL).main([src, osp.join(tmp_path, 'out.pth')])
    # loaders that convert every checkpoint (URLs) get the same clear refusal
    with pytest.raises(ValueError, match='PE-SinGAN checkpoint holds only weights'):
        convert_mmagic_checkpoint(dict(state_dict=torch.load(src)['state_dict']))


def test_unrecognised_layouts_and_keys_are_named():
    with pytest.raises(ValueError, match='unrecognised checkpoint layout.*first keys'):
        convert_mmagic_checkpoint(dict(state_dict={'backbone.conv.weight': torch.zeros(1)}))
    assert not is_mmagic_checkpoint(dict(state_dict={'backbone.conv.weight': torch.zeros(1)}))
    # any model trained with mmposgan's Runner (e.g. the DCGAN of the padding study) passes
    ours = dict(meta=dict(cfg="default_scope = 'mmposgan'\nmodel = dict(type='X')\n"),
                state_dict={'generator.fc.weight': torch.zeros(1)})
    assert convert_mmagic_checkpoint(ours) is ours
    gen, ema, disc, _, _ = build_pair('c')
    ckpt = mmagic_checkpoint(gen, ema, disc)
    ckpt['state_dict']['generator.extra_block.weight_orig'] = torch.zeros(1)
    with pytest.raises(ValueError, match=r"unrecognised keys \['extra_block.weight_orig'\]"):
        convert_mmagic_checkpoint(ckpt)
    with pytest.raises(ValueError, match='side file only belongs to a PE-SinGAN'):
        convert_mmagic_checkpoint(mmagic_checkpoint(gen, ema, disc), singan_side_file={})


def test_side_file_keeps_a_torch_file_safe(tmp_path):
    """A side file saved with torch.save loads with weights_only=True."""
    path = osp.join(tmp_path, 'noise.pth')
    torch.save(dict(fixed_noises=[torch.ones(1, 1, 3, 3)], noise_weights=[1.0], curr_stage=0),
               path)
    from mmposgan.converters import load_singan_side_file
    side = load_singan_side_file(path)
    assert side['curr_stage'] == 0 and side['fixed_noises'][0].sum() == 9
    with open(path, 'wb') as f:
        pickle.dump(dict(fixed_noises=[], noise_weights=[], curr_stage=0), f)
    with pytest.raises(ValueError, match='do not describe one SinGAN'):
        load_singan_side_file(path)
