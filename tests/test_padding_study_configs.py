"""Padding-study configs (paper Tab. 3, 4, 6): they build, name their setting, and train."""
import glob
import json
import math
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine import MessageHub
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from PIL import Image

from mmposgan.registry import DATASETS, MODELS
from .conftest import REPO

CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', 'padding_study', '*.py')))
NAME = lambda p: osp.basename(p)  # noqa: E731


def setting(path):
    return osp.basename(path).split('_')[1]


def test_every_table_setting_has_a_config():
    names = {osp.basename(p)[:-3] for p in CONFIGS}
    for model, sched, dataset in [('pggan', '8xb4-12Mimgs', 'celeba-cropped-128'),
                                  ('pggan', '8xb4-12Mimgs', 'lsun-bedroom-128'),
                                  ('dcgan-wgangp', '1xb64-160kiters', 'lsun-bedroom-128'),
                                  ('dcgan-wgangp', '1xb32-1kiters', 'digits-32')]:
        for name in ('zero-pad', 'interp-pad', 'interp-pad-spe'):
            assert f'{model}_{name}_{sched}_{dataset}' in names
    assert len(CONFIGS) == 12


@pytest.mark.parametrize('path', CONFIGS, ids=NAME)
def test_config_builds_the_setting_it_names(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmposgan'
    model = MODELS.build(cfg.model)
    gen = model.generator
    padding = type(gen.padding).__name__
    assert padding == {'zero-pad': 'ZeroPadConv', 'interp-pad': 'InterpPad',
                       'interp-pad-spe': 'InterpPad'}[setting(path)]
    assert type(gen.head).__name__ == ('SinusoidalEncoding2d' if setting(path) == 'interp-pad-spe'
                                       else 'NoneType')
    convs = [m for m in gen.modules() if isinstance(m, torch.nn.Conv2d) and m.kernel_size[0] > 1]
    if padding != 'ZeroPadConv':
        assert all(m.padding == (0, 0) for m in convs)
    else:
        assert all(m.padding == (1, 1) for m in convs)
    if 'digits' in path:
        assert type(model).__name__ == 'WGANGP'
    else:
        metrics = cfg.test_evaluator.metrics
        assert [m.type for m in metrics] == ['MultiLevelSWD']
        assert cfg.test_dataloader.dataset.data_root.startswith('data/')
        assert type(model).__name__ == ('ProgressiveGrowingGAN' if 'pggan' in path else 'WGANGP')


def test_folder_datasets_build_on_an_image_folder(tmp_path):
    for i in range(2):
        Image.fromarray(np.full((130, 140, 3), 40 * i, np.uint8)).save(tmp_path / f'{i}.png')
    for path in [p for p in CONFIGS if '128' in p and 'zero-pad' in p]:
        cfg = Config.fromfile(path)
        train = cfg.train_dataloader.dataset
        train.data_roots = {'128': str(tmp_path)}
        item = DATASETS.build(train)[0]
        assert item['data_samples'].gt_img.shape == (3, 128, 128)
        test = cfg.test_dataloader.dataset
        test.data_root = str(tmp_path)
        assert len(DATASETS.build(test)) == 2


def test_digits_dataset_is_sklearn_digits_upsampled():
    from sklearn.datasets import load_digits
    cfg = Config.fromfile([p for p in CONFIGS if 'digits' in p][0])
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    assert len(dataset) == 1797
    img = dataset[0]['data_samples'].gt_img
    assert img.shape == (3, 32, 32) and img.dtype == torch.uint8
    assert torch.equal(img[0], img[1])  # gray replicated
    # box-average back to 8x8 recovers the original digit up to interpolation blur
    small = img[0].float().reshape(8, 4, 8, 4).mean((1, 3)) / 255 * 16
    original = torch.from_numpy(load_digits().images[0]).float()
    assert torch.corrcoef(torch.stack([small.flatten(), original.flatten()]))[0, 1] > 0.95


def tiny(cfg, path):
    """Shrink a config's networks so a training iteration runs on CPU in a second."""
    gen, disc = cfg.model.generator, cfg.model.discriminator
    if 'pggan' in path:
        gen.update(base_channels=256, max_channels=8)
        disc.update(base_channels=256, max_channels=8)
        cfg.model.noise_size = 8
    else:
        size = gen.out_size
        gen.base_channels = 2**int(math.log2(size) - 2)
        disc.update(base_channels=2, max_channels=8)
        cfg.model.noise_size = 8
    return cfg


@pytest.mark.parametrize('path', [p for p in CONFIGS if 'digits' not in p], ids=NAME)
def test_tiny_version_trains_one_iteration_with_finite_losses(path):
    cfg = tiny(Config.fromfile(path), path)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    size = 128
    if 'pggan' in path:
        # start inside the 16 px stage, during its fade-in, so up blocks and blending run
        model.shown_nkimg.fill_(model.cum_nkimgs[1] + 1.0)
        model._actual_nkimgs = [float(model.cum_nkimgs[1])]
        model.prev_stage = 2
    from mmagic.structures import DataSample
    data = dict(inputs=dict(), data_samples=[
        DataSample(gt_img=torch.randint(0, 256, (3, size, size)).float()) for _ in range(4)])
    hub = MessageHub.get_current_instance()
    before = {k: v.clone() for k, v in model.generator.state_dict().items()}
    steps = model.discriminator_steps
    logs = {}
    for it in range(steps):  # the generator updates on the last critic step
        hub.update_info('iter', it)
        logs.update(model.train_step(data, optim))
    losses = {k: float(torch.as_tensor(v).detach())
              for k, v in logs.items() if k.startswith('loss')}
    assert 'loss_gen' in losses and 'loss_gp' in losses
    assert all(math.isfinite(v) for v in losses.values()), losses
    if 'pggan' in path:
        assert logs['curr_scale'] == 16 and 0 < logs['transition_weight'] < 1
    changed = [k for k, v in model.generator.state_dict().items() if not torch.equal(v, before[k])]
    assert changed, 'the generator was not updated'


@pytest.mark.slow  # mmengine Runner (pytest.ini)
def test_digits_experiment_script_runs_through_the_runner(tmp_path):
    """A 2-iteration, 1-seed run of the experiment tool: JSON numbers and PNG grids."""
    from .helpers.tools import load_tool
    tool = load_tool('experiments', 'padding_study_digits.py')
    out = tmp_path / 'exp'
    result = tool.main(['--out', str(out), '--seeds', '3', '--iters', '2', '--num-samples', '16',
                        '--settings', 'interp-pad-spe', '--cfg-options',
                        'train_dataloader.batch_size=4', 'model.generator.base_channels=8'])
    run = result['runs'][0]
    assert run['setting'] == 'interp-pad-spe' and run['seed'] == 3 and run['iters'] == 2
    assert set(run['swd']) == {'32', '16', 'avg'}
    assert all(math.isfinite(v) and v > 0 for v in run['swd'].values())
    saved = json.loads((out / 'results.json').read_text())
    assert saved['summary']['interp-pad-spe']['avg']['values'] == [run['swd']['avg']]
    grid = Image.open(out / 'interp-pad-spe' / 'seed3' / 'samples.png')
    assert grid.size == (8 * 34 + 2, 2 * 34 + 2)
    assert (out / 'real.png').exists()
    # an interrupted experiment resumes: finished runs are kept, not retrained
    again = tool.main(['--out', str(out), '--seeds', '3', '--iters', '2', '--num-samples', '16',
                       '--settings', 'interp-pad-spe', '--skip-done'])
    assert again['runs'] == [run]
