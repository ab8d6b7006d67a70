"""model-index.yml and the metafiles: every released checkpoint has a config that builds."""
import os.path as osp
import re

import mmagic
import pytest
import torch
import yaml
from mmengine import Config

from mmposgan.registry import MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
UPSTREAM = osp.join(osp.dirname(mmagic.__file__), '.mim')
SHA_SUFFIX = re.compile(r'^https://download\.openmmlab\.com/\S+-([0-9a-f]{8})\.pth$')


def load_models():
    with open(osp.join(REPO, 'model-index.yml')) as f:
        index = yaml.safe_load(f)
    models = []
    for path in index['Import']:
        with open(osp.join(REPO, path)) as f:
            meta = yaml.safe_load(f)
        collections = {c['Name'] for c in meta['Collections']}
        for model in meta['Models']:
            assert model['In Collection'] in collections, model['Name']
            models.append(model)
    return models


MODELS_LISTED = load_models()


def test_index_lists_every_released_checkpoint_once():
    with open(osp.join(UPSTREAM, 'configs', 'positional_encoding_in_gans', 'metafile.yml')) as f:
        upstream = {m['Weights'] for m in yaml.safe_load(f)['Models']}
    ours = [m['Weights'] for m in MODELS_LISTED]
    assert len(ours) == len(set(ours)) == len(upstream) == 21
    assert set(ours) == upstream
    assert len({m['Name'] for m in MODELS_LISTED}) == len(MODELS_LISTED)


@pytest.mark.parametrize('model', MODELS_LISTED, ids=lambda m: m['Name'])
def test_entry_is_complete_and_its_config_builds(model):
    assert SHA_SUFFIX.match(model['Weights']), model['Weights']
    assert osp.isfile(osp.join(UPSTREAM, model['Metadata']['Upstream Config'].split(' ', 2)[2]))
    assert model['Results'] and all(r['Metrics'] for r in model['Results'])
    cfg = Config.fromfile(osp.join(REPO, model['Config']))
    assert cfg.default_scope == 'mmposgan'
    with torch.device('meta'):  # the structure, without allocating the weights
        built = MODELS.build(cfg.model)
    if model['In Collection'] == 'PE-SinGAN':
        assert built.num_scales == model['Results'][0]['Metrics']['Num Scales']
    else:
        scales = model['Metadata']['Training Scales']
        assert cfg.train_dataloader.batch_sampler.scales == scales
        for size in scales:
            built.generator.scale_offset(size)


def test_every_release_config_is_in_the_index():
    import glob
    listed = {osp.normpath(m['Config']) for m in MODELS_LISTED}
    release = glob.glob(osp.join(REPO, 'configs', '**', '*release*.py'), recursive=True)
    missing = {osp.relpath(p, REPO) for p in release} - listed
    assert not missing and len(release) >= 20
