"""Scale consistency (L1 and LPIPS between a large output brought down and the small one).

LPIPS's ImageNet backbone cannot be downloaded here: the loader must refuse
with a message naming the file and where to put it, and the tests use a
*stand-in* backbone (torchvision's AlexNet features with random weights,
saved under the real file name).  They test the plumbing and the exact
values that do not depend on the backbone, not real LPIPS numbers.
"""
import pytest
import torch
import torch.nn as nn
import torchvision

from mmposgan.evaluation.metrics import load_lpips, resolve_lpips_backbone
from mmposgan.evaluation.metrics.scale_consistency import (PairDistances, bring_to, default_pairs,
                                                           scale_consistency)
from mmposgan.registry import METRICS


@pytest.fixture
def standin_alexnet(tmp_path):
    """torchvision's AlexNet *features* with random weights (NOT ImageNet's) as the backbone."""
    torch.manual_seed(0)
    features = torchvision.models.alexnet().features
    path = tmp_path / 'alexnet-owt-7be5be79.pth'
    torch.save({f'features.{k}': v for k, v in features.state_dict().items()}, path)
    return str(path)


def test_lpips_offline_names_the_file_and_where_to_put_it(tmp_path, monkeypatch):
    monkeypatch.setenv('MMPOSGAN_METRIC_WEIGHTS', str(tmp_path / 'weights'))
    monkeypatch.setattr(torch.hub, 'get_dir', lambda: str(tmp_path / 'hub'))
    with pytest.raises(FileNotFoundError) as err:
        load_lpips('alex')
    message = str(err.value)
    for part in ['alexnet-owt-7be5be79.pth', 'https://download.pytorch.org/models/',
                 str(tmp_path / 'weights' / 'alexnet-owt-7be5be79.pth'),
                 str(tmp_path / 'hub' / 'checkpoints' / 'alexnet-owt-7be5be79.pth'),
                 'MMPOSGAN_METRIC_WEIGHTS']:
        assert part in message
    with pytest.raises(FileNotFoundError, match='vgg16-397923af.pth'):
        resolve_lpips_backbone('vgg')
    with pytest.raises(ValueError, match='LPIPS net must be one of'):
        resolve_lpips_backbone('resnet')


def test_lpips_loads_the_backbone_from_the_file(standin_alexnet, tmp_path, monkeypatch):
    monkeypatch.setenv('MMPOSGAN_METRIC_WEIGHTS', str(tmp_path))  # found by its name
    model, digest = load_lpips('alex')
    features = torch.load(standin_alexnet, weights_only=True)
    own = model.net.state_dict()
    torch.testing.assert_close(own['slice1.0.weight'], features['features.0.weight'])
    torch.testing.assert_close(own['slice5.10.bias'], features['features.10.bias'])
    assert len(digest) == 64
    x, y = torch.rand(2, 3, 32, 48) * 2 - 1, torch.rand(2, 3, 32, 48) * 2 - 1
    assert model(x, x).abs().max() < 1e-6 and (model(x, y) > 0).all()
    torch.testing.assert_close(model(x, y), model(y, x))
    bad = tmp_path / 'bad.pth'
    torch.save({'conv.weight': torch.zeros(1)}, bad)
    with pytest.raises(ValueError, match='is not torchvision'):
        load_lpips('alex', str(bad))


def test_bring_to_resize_and_crop():
    small = torch.randn(2, 3, 4, 6)
    big = small.repeat_interleave(2, 2).repeat_interleave(2, 3)  # 8x12, each pixel 2x2
    torch.testing.assert_close(bring_to(big, (4, 6), 'resize'), small, atol=1e-6, rtol=0)
    wide = torch.cat([torch.zeros(2, 3, 8, 6), big, torch.zeros(2, 3, 8, 6)], 3)  # 8x24
    torch.testing.assert_close(bring_to(wide, (4, 6), 'resize'), small, atol=1e-6, rtol=0)
    torch.testing.assert_close(bring_to(wide, (8, 12), 'crop'), big)
    with pytest.raises(ValueError, match='cannot be brought down'):
        bring_to(small, (8, 6))


def test_default_pairs_go_from_large_to_small():
    pairs = default_pairs([32, (32, 64), (32, 96), 64])
    assert sorted(pairs) == sorted([((32, 64), (32, 32)), ((64, 64), (32, 32)),
                                    ((32, 96), (32, 32)), ((32, 96), (32, 64)),
                                    ((64, 64), (32, 64))])
    with pytest.raises(ValueError, match='at least the second'):
        PairDistances([((32, 32), (32, 64))], distances=('l1', ))


class StandInGenerator(nn.Module):
    """Each latent gives a smooth image defined on the unit square, sampled at any size.

    ``consistent=False`` adds a pattern that depends on the size: a different image
    at every size (the inconsistency the metric must see)."""

    style_channels = 4

    def __init__(self, consistent: bool = True):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(1))
        self.consistent = consistent

    def forward(self, z, size, add_noise=False):
        h, w = size
        y = (torch.arange(h) + 0.5) / h
        x = (torch.arange(w) + 0.5) / w
        colour = torch.tanh(z[:, :3])[:, :, None, None]
        ramp = 0.2 * (y[:, None] + x[None, :])
        img = colour * self.scale + ramp
        if not self.consistent:
            img = img + 0.5 * torch.sin(3.0 * (torch.arange(w) + h))
        return img


def test_scale_consistency_is_zero_for_a_consistent_generator(standin_alexnet):
    kwargs = dict(sizes=[32, 64], num_samples=6, batch_size=4, lpips_path=standin_alexnet)
    good = scale_consistency(StandInGenerator(True), **kwargs)
    bad = scale_consistency(StandInGenerator(False), **kwargs)
    assert list(good) == ['64->32']
    assert good['64->32']['l1'] < 1e-3  # area-downsampling a linear ramp: exact up to rounding
    assert bad['64->32']['l1'] > 0.1 and bad['64->32']['lpips'] > good['64->32']['lpips']


def test_scale_consistency_of_an_ms_pie_generator_per_size_pair():
    """Same latents: with SPE expand the larger canvas extends the scene (small 'crop'
    distance), a 2x larger image is not the same scene at double resolution."""
    from mmposgan.registry import MODELS
    torch.manual_seed(0)
    gen = MODELS.build(dict(
        type='PositionalStyleGAN2Generator', out_size=32, style_channels=16, num_mlps=2,
        channels={4: 32, 8: 32, 16: 16, 32: 16, 64: 8}, upsample='BilinearThenConv',
        padding='InterpPad', head=dict(type='SinusoidalEncoding2d', out_channels=32))).eval()
    sizes = [32, (32, 64), 64]
    crop = scale_consistency(gen, sizes, num_samples=8, distances=('l1', ), match='crop')
    resize = scale_consistency(gen, sizes, num_samples=8, distances=('l1', ))
    assert set(crop) == {'32x64->32', '64->32', '64->32x64'}
    assert crop['32x64->32']['l1'] < 0.5 * resize['64->32']['l1']
    # the same latents matter: shuffling them across sizes makes every pair worse
    shuffled = PairDistances([((32, 64), (32, 32))], ('l1', ), 'crop')
    z = torch.randn(8, 16)
    with torch.no_grad():
        images = {(32, 64): gen(z, size=(32, 64), add_noise=False),
                  (32, 32): gen(z.roll(1, 0), size=32, add_noise=False)}
    assert shuffled.summarize(shuffled(images))['32x64->32']['l1'] > crop['32x64->32']['l1']


def test_scale_consistency_metric_config_is_checked(standin_alexnet):
    metric = METRICS.build(dict(type='ScaleConsistency', fake_nums=4, sizes=[32, (32, 64)],
                                lpips_path=standin_alexnet))
    assert metric.measure.names == ['32x64->32']
    with pytest.raises(ValueError, match='distances must be among'):
        METRICS.build(dict(type='ScaleConsistency', fake_nums=4, sizes=[32, 64],
                           distances=('ssim', )))
    with pytest.raises(ValueError, match='at least one'):
        METRICS.build(dict(type='ScaleConsistency', fake_nums=4, sizes=[32], distances=('l1', )))


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_every_size_through_the_multi_scale_test_loop(tmp_path, standin_alexnet):
    """``tools/test.py``'s path: MultiScaleTestLoop repeats SWD per (h, w) and gives the
    scale-consistency metric every size; it samples the same latents at each size."""
    from mmengine.runner import Runner

    from .test_scale_metrics import eval_cfg, run_test
    cfg = eval_cfg(tmp_path, weights={}, scales=())
    cfg.test_cfg = dict(type='MultiScaleTestLoop', scales=[32, (32, 64)])
    cfg.test_evaluator = dict(type='Evaluator', metrics=[
        dict(type='MultiLevelSWD', fake_nums=4, sample_model='orig'),
        dict(type='ScaleConsistency', fake_nums=4, match='crop', lpips_path=standin_alexnet,
             sample_model='orig')])
    runner = Runner.from_cfg(cfg)
    results = run_test(runner)
    assert {'SWD@32/avg', 'SWD@32x64/avg', 'ScaleConsistency/32x64->32/l1',
            'ScaleConsistency/32x64->32/lpips'} <= set(results)
    assert '16x32' in ' '.join(results)  # the non-square SWD levels
    # the same value as the function on the same generator and latents
    gen = runner.model.generator
    gen.eval()
    direct = scale_consistency(gen, [32, (32, 64)], num_samples=4, batch_size=2, match='crop',
                               lpips_path=standin_alexnet)
    assert results['ScaleConsistency/32x64->32/l1'] == pytest.approx(
        direct['32x64->32']['l1'], rel=0.05)  # fakes pass through [0, 255] in the test loop
