"""The seamless-pictures tool on random-weight SinGANs of the three demo configs."""
import json
import os.path as osp

import numpy as np
from PIL import Image

from ...helpers.singan import save_ready_singan
from ...helpers.tools import load_tool


def test_pictures_sizes_and_measured_seams(tmp_path):
    tool = load_tool('experiments', 'seamless_pictures.py')
    ckpt = {name: save_ready_singan(config, str(tmp_path / f'{name}.pth'))
            for name, config in [('panorama', tool.PANORAMA), ('texture', tool.TEXTURE),
                                 ('baseline', tool.BASELINE)]}
    out = tmp_path / 'out'
    results = tool.main(['--out', str(out), '--num', '8', '--show', '1', '--zoom', '1',
                         '--panorama', ckpt['panorama'], '--texture', ckpt['texture'],
                         '--baseline', ckpt['baseline']])
    assert results['panorama']['size'] == [64, 288] and results['texture']['size'] == [128, 192]
    assert list(results['texture']['seam']) == ['x', 'y']
    # circular demo configs: seams inside the neighbours' range; zero padding: outside
    assert results['panorama']['seam']['x']['ratio'] < 1
    assert results['baseline']['seam']['x']['ratio'] > 1.25
    assert results['baseline_made_seamless']['seam']['x']['ratio'] < 1
    tiled = np.asarray(Image.open(out / 'texture_tiled_2x2.png'))
    assert tiled.shape == (256, 384, 3)
    np.testing.assert_array_equal(tiled[:128, :192], tiled[128:, 192:])
    # each sample, then the same rolled by half its width
    panorama = np.asarray(Image.open(out / 'panorama.png'))
    assert panorama.shape == (2 * 64 + 4, 288, 3)
    np.testing.assert_array_equal(np.roll(panorama[:64], 144, axis=1), panorama[68:])
    with open(osp.join(out, 'results.json')) as f:
        assert json.load(f)['results'] == json.loads(json.dumps(results))
    assert '| baseline_made_seamless | 64x288 | x |' in open(out / 'results.md').read()
