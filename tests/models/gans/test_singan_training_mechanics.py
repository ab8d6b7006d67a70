"""Frozen stages and the checkpointed SinGAN state."""
import torch

from mmposgan.models.gans.singan_state import SinGANState
from mmposgan.registry import MODELS

SIZES = [(25, 33), (31, 41)]


def test_finished_stages_run_frozen_in_training():
    gen = MODELS.build(dict(type='PositionalSinGANGenerator', num_scales=1, base_channels=8,
                            min_feat_channels=8,
                            head=dict(type='CartesianGrid2d')))
    noises = gen.make_fixed_noises(SIZES)
    gen.train()
    stats_before = gen.blocks[0].head.bn.running_mean.clone()
    out = gen(None, noises, [1.0, 0.1], 'rand', 1)
    out.mean().backward()
    assert all(p.grad is None for p in gen.blocks[0].parameters())  # frozen: no gradient
    assert all(p.grad is not None for p in gen.blocks[1].parameters())
    assert torch.equal(gen.blocks[0].head.bn.running_mean, stats_before)  # eval-mode BN
    assert gen.blocks[0].training  # mode restored


def test_state_round_trip_recreates_buffers():
    state = SinGANState()
    state.fixed_noises = [torch.randn(1, 2, 5, 6), torch.zeros(1, 3, 7, 8)]
    state.noise_weights = [1.0, 0.25]
    state.curr_stage = 1
    fresh = SinGANState()
    fresh.load_state_dict(state.state_dict())
    assert fresh.curr_stage == 1 and fresh.noise_weights == [1.0, 0.25]
    assert all(torch.equal(a, b)
               for a, b in zip(fresh.fixed_noises, state.fixed_noises, strict=True))
