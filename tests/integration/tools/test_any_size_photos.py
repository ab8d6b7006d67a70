"""The CPU any-size experiment tool, on a few crops for a few iterations."""
import json
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from ...helpers.tools import load_tool


def test_crops_have_the_widest_aspect_ratio_and_come_from_every_photo(tmp_path):
    tool = load_tool('experiments', 'any_size_photos.py')
    photos = []
    for i, colour in enumerate([(255, 0, 0), (0, 0, 255)]):
        path = str(tmp_path / f'{i}.png')
        Image.fromarray(np.full((60, 200, 3), colour, np.uint8)).save(path)
        photos.append(path)
    paths = tool.write_crops(photos, str(tmp_path / 'crops'), 4)
    crops = [np.asarray(Image.open(p)) for p in paths]
    assert all(c.shape == (48, 144, 3) for c in crops)
    assert [tuple(c[0, 0]) for c in crops] == [(255, 0, 0), (0, 0, 255)] * 2
    wide = tool.real_at(paths, (32, 64))  # centre crop to 2:1, then area resize
    assert wide.shape == (4, 3, 32, 64)


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_the_experiment_runs_and_reports_every_size(tmp_path):
    tool = load_tool('experiments', 'any_size_photos.py')
    out = str(tmp_path / 'out')
    result = tool.main(['--out', out, '--iters', '2', '--num-crops', '8', '--num-samples', '4',
                        '--consistency-samples', '2', '--settings', 'multi',
                        '--cfg-options', 'default_hooks.logger.interval=1'])
    run = result['runs'][0]
    assert run['setting'] == 'multi' and run['iters'] == 2
    assert list(run['swd']) == ['32x32', '32x64', '32x96']
    assert set(run['consistency']) == {'32x64->32', '32x96->32', '32x96->32x64'}
    assert all(np.isfinite(v['l1']) for v in run['consistency'].values())
    for name in ['sizes.png', 'samples_32x96.png']:
        assert osp.isfile(osp.join(out, 'multi', name))
    with open(osp.join(out, 'results.json')) as f:
        assert json.load(f)['runs'][0]['swd'] == run['swd']
    assert '| multi | 32x96->32x64 |' in open(osp.join(out, 'results.md')).read()


@pytest.mark.slow  # Runner (pytest.ini)
def test_finished_checkpoints_are_measured_again_without_training(tmp_path):
    tool = load_tool('experiments', 'any_size_photos.py')
    out = str(tmp_path / 'out')
    args = ['--out', out, '--iters', '2', '--num-crops', '8', '--num-samples', '4',
            '--consistency-samples', '2', '--settings', 'single']
    trained = tool.main(args)['runs'][0]
    again = tool.main(args + ['--evaluate-checkpoints'])['runs'][0]
    assert again['train_time_s'] is None and trained['train_time_s'] > 0
    assert again['swd'] == trained['swd'] and again['consistency'] == trained['consistency']
