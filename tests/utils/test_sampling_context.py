"""One sampling context and one EMA pick (issue 13 §4): behaviour, and no copies left."""
import glob
import os.path as osp
import re

import pytest
import torch
from torch import nn

import mmposgan
from mmposgan.utils.sampling import forked_rng, sampling_context
from mmposgan.utils.wrappers import samples_with_ema, sampling_generator

REPO = osp.dirname(osp.dirname(mmposgan.__file__))


@pytest.mark.parametrize('training', [True, False])
def test_mode_is_eval_inside_and_restored_after(training):
    net = nn.Sequential(nn.Dropout(0.5), nn.BatchNorm1d(2)).train(training)
    with sampling_context(net):
        assert not net.training and not net[0].training and not net[1].training
    assert net.training is training and net[1].training is training


def test_seeded_block_draws_the_seed_and_leaves_the_rng_as_before():
    net = nn.Linear(2, 2)
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    with sampling_context(net, seed=7):
        inside = torch.randn(5)
        torch.manual_seed(99)  # re-seeding inside (the same noise at every size) is undone too
        torch.randn(3)
    assert torch.equal(torch.random.get_rng_state(), before)
    assert torch.equal(inside, torch.randn(5, generator=torch.Generator().manual_seed(7)))


def test_unseeded_block_advances_the_rng_and_an_error_still_restores_the_mode():
    net = nn.Linear(2, 2).train()
    torch.manual_seed(0)
    with sampling_context(net):
        first = torch.randn(3)
    with sampling_context(net):
        second = torch.randn(3)
    assert not torch.equal(first, second)  # new samples each call, as without the context
    with pytest.raises(RuntimeError, match='boom'), sampling_context(net, seed=1):
        raise RuntimeError('boom')
    assert net.training


def test_forked_rng_without_seed_keeps_the_state_inside_and_restores_it():
    torch.manual_seed(5)
    expected = torch.randn(4, generator=torch.Generator().manual_seed(5))
    with forked_rng():
        inside = torch.randn(4)
    assert torch.equal(inside, expected) and torch.equal(torch.randn(4), expected)


class _Ema(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module


class _Gan(nn.Module):
    def __init__(self, with_ema):
        super().__init__()
        self.generator, self.with_ema_gen = nn.Linear(1, 1), with_ema
        if with_ema:
            self.generator_ema = _Ema(nn.Linear(1, 1))


def test_sampling_generator_picks_the_unwrapped_ema_copy_when_there_is_one():
    gan = _Gan(with_ema=True)
    assert sampling_generator(gan) is gan.generator_ema.module
    assert sampling_generator(gan, use_ema=False) is gan.generator
    plain = _Gan(with_ema=False)
    assert sampling_generator(plain) is plain.generator
    assert samples_with_ema(gan) and not samples_with_ema(gan, False)
    assert not samples_with_ema(plain)


def test_no_other_copy_of_the_sampling_context_or_the_ema_pick():
    copies = re.compile(r'\.train\(was_training\)|random\.fork_rng\(|random\.set_rng_state\('
                        r'|generator_ema if |with_ema_gen')
    files = glob.glob(osp.join(REPO, 'mmposgan', '**', '*.py'), recursive=True)
    files += glob.glob(osp.join(REPO, 'tools', '**', '*.py'), recursive=True)
    owners = {osp.join('mmposgan', 'utils', name) for name in ('sampling.py', 'wrappers.py')}
    found = {osp.relpath(f, REPO): copies.findall(open(f).read()) for f in files
             if osp.relpath(f, REPO) not in owners}
    found = {f: hits for f, hits in found.items() if hits}
    assert not found, found
