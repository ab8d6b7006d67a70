"""Feature-map precision and layout (NVIDIA's mixed precision) and the CUDA-only hook."""
import copy
import types

import pytest
import torch
from mmengine.config import Config

from mmposgan.engine.feature_format import set_feature_format, set_tf32
from mmposgan.engine.hooks import CUDATrainingHook
from mmposgan.registry import MODELS
from ..integration.test_ms_pie_training import TINY


def tiny_networks():
    cfg = Config.fromfile(TINY)
    torch.manual_seed(0)
    return MODELS.build(cfg.model.generator), MODELS.build(cfg.model.discriminator)


def conv_inputs(*nets):
    """(module name, side, dtype, channels_last) of the 4-D inputs of the modules that hold
    a convolution, as the modules receive them (filled in as the networks run)."""
    seen = []

    def hook(name):
        def record(module, args):
            x = args[0]
            if isinstance(x, torch.Tensor) and x.dim() == 4:
                cl = x.is_contiguous(memory_format=torch.channels_last) and not x.is_contiguous()
                seen.append((name, x.shape[-1], x.dtype, cl))
        return record

    for net in nets:
        for name, m in net.named_modules():
            if any(p.dim() >= 4 for p in m.parameters()):
                # registered after the format hooks, so it sees what the layer gets
                m.register_forward_pre_hook(hook(name))
    return seen


def gen_and_disc(gen, disc, size=64):
    z = torch.randn(4, gen.style_channels, generator=torch.Generator().manual_seed(1))
    img = gen(z, size=size, add_noise=False)
    return img, disc(img)


def test_high_resolution_layers_get_bfloat16_and_the_rest_float32():
    gen, disc = tiny_networks()
    ref_img, ref_score = gen_and_disc(gen, disc)
    for net in (gen, disc):
        set_feature_format(net, 'bfloat16', min_size=32)
    seen = conv_inputs(gen, disc)
    # the RGB skip (no convolution on it) is summed in float32 at every resolution
    skips = []
    for to_rgb in [m for m in gen.modules() if 'rgb' in type(m).__name__.lower()]:
        to_rgb.register_forward_hook(lambda m, args, out: skips.append(out.dtype))
    img, score = gen_and_disc(gen, disc)
    assert {side for _, side, _, _ in seen} >= {8, 16, 32, 64}
    for name, side, dtype, _ in seen:
        assert dtype == (torch.bfloat16 if side >= 32 else torch.float32), (name, side, dtype)
    assert len(skips) >= 4 and set(skips) == {torch.float32}
    # outputs, losses and parameters stay float32; the values move by bfloat16 rounding only
    assert img.dtype == score.dtype == torch.float32
    err = (img - ref_img).norm() / ref_img.norm()
    assert 0 < err < 3e-2
    (score.sum() + img.square().mean()).backward()
    for net in (gen, disc):
        for name, p in net.named_parameters():
            assert p.dtype == torch.float32 and (p.grad is None or p.grad.dtype == torch.float32)
    assert all(torch.isfinite(p.grad).all() for p in gen.parameters() if p.grad is not None)


def test_channels_last_changes_layout_not_values():
    gen, disc = tiny_networks()
    ref = gen_and_disc(gen, disc)
    handles = [h for net in (gen, disc) for h in set_feature_format(net, channels_last=True)]
    seen = conv_inputs(gen, disc)
    out = gen_and_disc(gen, disc)
    assert seen and all(cl or side == 1 for _, side, _, cl in seen)
    for a, b in zip(out, ref):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)
    for h in handles:
        h.remove()
    seen.clear()
    gen_and_disc(gen, disc)
    assert seen and not any(cl for _, _, _, cl in seen)


def test_removing_the_hooks_restores_float32_and_copies_keep_them():
    gen, disc = tiny_networks()
    ref = gen_and_disc(gen, disc)
    handles = set_feature_format(gen, 'bfloat16', min_size=0)
    copied = copy.deepcopy(gen)  # e.g. mmagic's EMA copy of a generator
    low = gen_and_disc(gen, disc)
    torch.testing.assert_close(gen_and_disc(copied, disc), low, rtol=0, atol=0)
    for h in handles:
        h.remove()
    torch.testing.assert_close(gen_and_disc(gen, disc), ref, rtol=0, atol=0)


def test_nothing_to_do_registers_nothing_and_bad_names_fail():
    gen, _ = tiny_networks()
    assert set_feature_format(gen) == []
    with pytest.raises(ValueError, match='low_precision must be one of'):
        set_feature_format(gen, 'fp8')
    with pytest.raises(ValueError, match='low_precision must be one of'):
        CUDATrainingHook(low_precision='half')


def test_hook_changes_nothing_on_the_cpu():
    gen, disc = tiny_networks()
    model = types.SimpleNamespace(generator=gen, discriminator=disc)
    runner = types.SimpleNamespace(model=model, logger=None)
    tf32 = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32
    set_tf32(False)
    try:
        hook = CUDATrainingHook(tf32=True, channels_last=True)
        hook.before_train(runner)
        assert hook.handles == [] and not torch.backends.cudnn.allow_tf32
        assert all(not m._forward_pre_hooks for net in (gen, disc) for m in net.modules())
    finally:
        torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = tf32
