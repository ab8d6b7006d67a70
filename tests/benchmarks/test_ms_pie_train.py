"""The GPU benchmark scripts run every option correctly on a tiny model on the CPU."""
import json
import os.path as osp
import subprocess
import sys

import pytest
import torch
from PIL import Image

from ..conftest import REPO
from ..integration.test_ms_pie_training import TINY

BENCH = osp.join(REPO, 'benchmarks')
sys.path.insert(0, BENCH)
SETTINGS = ['default', 'strict:tf32=0', 'bf16-cl:lp=bfloat16,min=32,cl=1', 'cl:cl=1',
            'grouped:modconv=grouped', 'cudnn:cudnn=1']


def run(script, *args):
    # one thread: two spinning OpenMP threads on a busy 2-core machine run 10x slower
    out = subprocess.run([sys.executable, osp.join(BENCH, script), '--config', TINY,
                          '--device', 'cpu', '--threads', '1', *args], capture_output=True,
                         text=True, cwd=REPO, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_every_setting_trains_and_changes_only_what_it_should(tmp_path):
    run('ms_pie_train.py', '--batch', '4', '--steps', '1', '--warmup', '1', '--schedules', '32',
        'mixed', '--then-scales', '1', '--flops', '--profile', str(tmp_path / 'profile.txt'),
        '--json', str(tmp_path / 'r.json'), *[a for s in SETTINGS for a in ('--setting', s)])
    with open(tmp_path / 'r.json') as f:
        out = json.load(f)
    results = out['results']
    assert not [r for r in results if 'error' in r]
    assert all(r['finite'] and r['img_per_s'] > 0 for r in results)
    first = {r['setting']: r for r in results if r['schedule'] == '32'}
    assert list(first) == [s.split(':')[0] for s in SETTINGS]
    # the full step: both updates and both lazy regularisers (iteration 16, the window's first)
    assert {'loss_gen', 'loss_disc_real', 'loss_r1_gp', 'loss_path_regular'} <= set(
        first['default']['losses'])
    exact = ('strict', 'cudnn', 'default')  # TF32 and cuDNN do nothing on a CPU
    for name, r in first.items():
        err = max(r['rel_err'].values())
        if name in exact:  # and every run starts from the same weights and seeds
            assert err == 0 and r['losses'] == first['default']['losses'], name
        elif name.startswith('bf16'):
            assert 1e-5 < err < 5e-2, (name, r['rel_err'])
        else:  # channels_last, grouped conv: the same arithmetic up to float32 rounding
            assert err < 1e-5, (name, r['rel_err'])
    # then the baseline and the fastest at the other schedules
    later = [r for r in results if r['schedule'] != '32']
    assert [r['schedule'] for r in later] == ['mixed', 'mixed']
    assert later[0]['setting'] == 'default' and later[1]['setting'] != 'default'
    assert sum(later[0]['plan'].values()) == 2 and set(later[0]['plan']) <= {'32', '48', '64'}
    assert out['info']['flops_per_step'] > 1e7
    assert 'Self CPU' in (tmp_path / 'profile.txt').read_text()


@pytest.mark.parametrize('upsample,kernel,demodulate', [
    (None, 3, True), ('BilinearThenConv', 3, True), (None, 1, False)])
def test_grouped_modulated_conv_equals_the_batched_one(upsample, kernel, demodulate):
    from ms_pie_train import grouped_conv_and_demod

    from mmposgan.registry import MODELS
    conv = MODELS.build(dict(type='ModulatedConv2dPE', in_channels=6, out_channels=5,
                             kernel_size=kernel, style_channels=8, upsample=upsample,
                             demodulate=demodulate))
    x, style = torch.randn(3, 6, 7, 7), torch.randn(3, 8)
    out, demod = conv.conv_and_demod(x, style)
    g_out, g_demod = grouped_conv_and_demod(conv, x, style)
    if demodulate:
        out, g_out = out * demod, g_out * g_demod
    else:
        assert demod is None and g_demod is None
    torch.testing.assert_close(g_out, out, rtol=1e-5, atol=1e-5)
    assert torch.nn.functional.conv2d is not None and torch.nn.functional.conv2d.__name__ == \
        'conv2d'


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_flops_from_shapes_alone_match_the_counted_step(tmp_path):
    run('ms_pie_train.py', '--batch', '4', '--schedules', '32', '64', '--flops',
        '--setting', 'default', '--json', str(tmp_path / 'cpu.json'))
    out = subprocess.run([sys.executable, osp.join(BENCH, 'ms_pie_train.py'), '--config', TINY,
                          '--device', 'meta', '--batch', '4', '--schedules', '32', '64',
                          '--json', str(tmp_path / 'meta.json')], capture_output=True,
                         text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    with open(tmp_path / 'cpu.json') as f, open(tmp_path / 'meta.json') as g:
        cpu, meta = json.load(f)['info'], json.load(g)['info']
    assert meta['flops_per_step']['32'] == cpu['flops_per_step']
    assert meta['flops_per_step']['64'] > 3.5 * meta['flops_per_step']['32']


def test_unknown_setting_keys_are_refused():
    from ms_pie_train import parse_setting
    assert parse_setting('a:lp=bfloat16,min=32,cl=1') == ('a', dict(lp='bfloat16', min=32, cl=1))
    with pytest.raises(ValueError, match="unknown setting key 'fp16'"):
        parse_setting('a:fp16=1')


@pytest.mark.slow  # subprocess / Runner (pytest.ini)
def test_quality_check_writes_losses_and_a_sample_grid(tmp_path):
    stdout = run('amp_quality.py', '--size', '32', '--batch', '4', '--iters', '2', '--window',
                 '1', '--samples', '3', '--setting', 'bf16:lp=bfloat16,min=32',
                 '--json', str(tmp_path / 'q.json'), '--png', str(tmp_path / 'q.png'))
    with open(tmp_path / 'q.json') as f:
        out = json.load(f)
    assert [r['setting'] for r in out['runs']] == ['float32', 'bf16']
    assert all(r['finite'] and len(r['losses']) == 2 and len(r['windows']) == 2
               for r in out['runs'])
    # same start, same data, same noise: the first iteration's losses agree to bf16 rounding
    first = [r['losses'][0] for r in out['runs']]
    for key in ('loss_disc_real', 'loss_gen', 'loss_path_regular'):
        a, b = (f[key] for f in first)
        assert abs(a - b) < 0.05 * max(abs(a), 1e-3), key
    assert 0 < out['sample_mean_abs_diff'] < out['sample_std']
    assert Image.open(tmp_path / 'q.png').size == (3 * 64, 2 * 64)
    assert 'samples: mean |float32 - bf16|' in stdout
