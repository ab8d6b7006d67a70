"""Full MS-PIE training step of a config: images per second and peak memory, per speed setting.

The model, the optimizers and the regularisers come from the config file (default: the
paper's config F: 256 base, channel multiplier 2, 512-channel SPE head, zero padding), and
one step is the model's own ``train_step``: a discriminator update with R1 every
``r1_interval`` iterations, a generator update with the path-length regulariser every
``g_reg_interval`` iterations, and the EMA update.  The timed window starts at iteration
16 and is a multiple of 16 steps long, so it holds the configured share of regularised
steps.  Real images are random tensors already on the device (no data loading).

    python benchmarks/ms_pie_train.py --device cuda --batch 8 --schedules 512 256 384 mixed \\
        --setting fp32:tf32=0 --setting default --setting bf16:lp=bfloat16,min=64 \\
        --then-scales 1 --json OUT.json

A setting is ``NAME[:key=value,...]`` with the keys

==========  ===========================================================================
``tf32``    1/0: TensorFloat-32 in cuDNN and cuBLAS (absent: torch's default, cuDNN on)
``lp``      feature maps of at least ``min`` px a side in ``bfloat16`` or ``float16``
            (:func:`mmposgan.engine.feature_format.set_feature_format`)
``min``     that size (default 64)
``cl``      1: ``channels_last`` feature maps
``modconv`` ``batched`` (the model's: modulate activations, one dense conv) or
            ``grouped`` (per-sample weights, one grouped conv; patched in here)
``cudnn``   1: ``cudnn.benchmark`` with every scale's algorithms searched during the
            warm-up, then the cached memory released
``compile`` 1: ``torch.compile`` of the generator and the discriminator forward (the
            R1 and path-length passes, which differentiate twice, stay eager)
==========  ===========================================================================

Each (setting, schedule) run reports seconds per step, images per second, peak
allocated and reserved memory of the timed steps (after the warm-up), the losses of
the last step, and the relative error of the generator's and discriminator's outputs
against strict float32 on the same weights and inputs.  ``--then-scales K`` runs every
setting at the first schedule, then the first setting and the K fastest with finite
losses at the other schedules.  ``--profile FILE`` writes torch.profiler's kernel table
of four steps of the fastest setting at the first schedule, and ``--flops`` counts the
step's floating-point operations (the mean over a 16-iteration regularisation cycle).
``--device meta`` only counts the FLOPs of a step at each schedule, from the tensor shapes
(no arithmetic, any machine).
"""
import argparse
import copy
import gc
import json
import math
import os.path as osp
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG_F = osp.join(ROOT, 'configs', 'ms_pie_stylegan2',
                    'mspie-stylegan2_spe-expand_pad_c2_8xb3-1100kiters_ffhq-256-512.py')
KEYS = {'tf32': int, 'lp': str, 'min': int, 'cl': int, 'modconv': str, 'cudnn': int,
        'compile': int}
FIRST_TIMED_ITER = 16


def parse_setting(text):
    """``'NAME:k=v,k=v'`` -> ``(NAME, {k: v})`` with the types of :data:`KEYS`."""
    name, _, rest = text.partition(':')
    opts = {}
    for item in filter(None, rest.split(',')):
        key, _, value = item.partition('=')
        if key not in KEYS:
            raise ValueError(f'unknown setting key {key!r} in {text!r}; keys: {sorted(KEYS)}')
        opts[key] = KEYS[key](value)
    if opts.get('modconv', 'batched') not in ('batched', 'grouped'):
        raise ValueError(f"modconv must be 'batched' or 'grouped', got {opts['modconv']!r}")
    return name, opts


def build(config, device, batch):
    """Model and optimizer wrappers of ``config``, on ``device``."""
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope

    import mmposgan  # noqa: F401
    from mmposgan.registry import MODELS
    init_default_scope('mmposgan')
    cfg = Config.fromfile(config)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).to(device).train()
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    sizes = [int(s) for s in cfg.get('ms_pie_scales', [])]
    probs = [float(p) for p in cfg.get('ms_pie_probs', [])]
    return model, optim, sizes, probs


def real_batch(size, batch, device, seed):
    from mmagic.structures import DataSample
    g = torch.Generator(device='cpu').manual_seed(seed)
    imgs = (torch.rand(batch, 3, size, size, generator=g) * 255).to(device)
    return dict(inputs={}, data_samples=[DataSample(gt_img=img) for img in imgs])


def grouped_conv_and_demod(self, x, style):
    """StyleGAN2's fused modulated conv: per-sample modulated, demodulated weights and one
    grouped conv (the reference implementations' form); equals the batched form.

    The layer's own border handling and upsampling run unchanged: their ``F.conv2d`` is
    swapped, for this call, for a grouped conv with the per-sample weights.
    """
    n = x.shape[0]
    s = self.style_modulation(style)
    w = self.weight * self.scale * s[:, None, :, None, None]  # (N, C_out, C_in, k, k)
    if self.demodulate:
        w = w * torch.rsqrt(w.pow(2).sum((2, 3, 4), keepdim=True) + self.eps)
    w = w.to(x.dtype).reshape(-1, *w.shape[2:])
    dense_conv2d, calls = F.conv2d, []

    def grouped_conv2d(inp, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
        calls.append(1)
        out = dense_conv2d(inp.reshape(1, -1, *inp.shape[2:]), w, None, stride, padding,
                           dilation, n)
        return out.view(n, -1, *out.shape[2:])

    F.conv2d = grouped_conv2d
    try:
        if self.upsample is not None:
            out = self.upsample(x, self.weight[0], self.padding, self.border)
        else:
            x = self.padding.prepare(x, x.shape[-2:], self.border)
            out = F.conv2d(x, self.weight[0], padding=self.conv_padding)
    finally:
        F.conv2d = dense_conv2d
    if len(calls) != 1:
        raise ValueError(f'grouped modconv: {type(self.upsample).__name__} does not run one '
                         'conv2d')
    # the demodulation is inside the weights: a caller that multiplies by it gets ones
    return out, (out.new_ones(n, out.shape[1], 1, 1) if self.demodulate else None)


class Patches:
    """Reversible changes of a model for one setting."""

    def __init__(self):
        self.undo = []

    def patch_attr(self, obj, name, value):
        old = obj.__dict__.get(name, None) if isinstance(obj, type) else getattr(obj, name)
        self.undo.append((obj, name, old, name in vars(obj)))
        setattr(obj, name, value)

    def restore(self):
        for obj, name, old, had in reversed(self.undo):
            if had:
                setattr(obj, name, old)
            else:
                delattr(obj, name)
        self.undo.clear()


def apply_setting(model, opts, device, patches, handles):
    from mmposgan.engine.feature_format import set_feature_format, set_tf32
    if 'tf32' in opts:
        set_tf32(bool(opts['tf32']))
    torch.backends.cudnn.benchmark = bool(opts.get('cudnn', 0))
    for net in (model.generator, model.discriminator):
        handles += set_feature_format(net, opts.get('lp'), opts.get('min', 64),
                                      bool(opts.get('cl', 0)))
    if opts.get('modconv', 'batched') == 'grouped':
        from mmposgan.registry import MODELS
        cls = MODELS.get('ModulatedConv2dPE')
        patches.patch_attr(cls, 'conv_and_demod', grouped_conv_and_demod)
    if opts.get('compile'):
        compile_networks(model, patches)


def compile_networks(model, patches):
    """``torch.compile`` the forward of G and D; double-backward passes stay eager.

    R1 differentiates D's output w.r.t. a leaf real batch and the path-length
    regulariser calls G with ``return_latents=True``: those calls run eagerly, since
    compiled graphs do not support differentiating twice.
    """
    gen, disc = model.generator, model.discriminator
    gen_eager, disc_eager = gen.forward, disc.forward
    gen_compiled = torch.compile(gen_eager, dynamic=False)
    disc_compiled = torch.compile(disc_eager, dynamic=False)

    def gen_forward(*args, **kwargs):
        fn = gen_eager if kwargs.get('return_latents') else gen_compiled
        return fn(*args, **kwargs)

    def disc_forward(x, *args, **kwargs):
        fn = disc_eager if (x.is_leaf and x.requires_grad) else disc_compiled
        return fn(x, *args, **kwargs)

    patches.patch_attr(gen, 'forward', gen_forward)
    patches.patch_attr(disc, 'forward', disc_forward)


def network_outputs(model, size, device, batch=2):
    """G(z) and D(x) for fixed z and x (no noise injection, no style mixing)."""
    g = torch.Generator(device='cpu').manual_seed(1)
    z = torch.randn(batch, model.generator.style_channels, generator=g).to(device)
    x = (torch.rand(batch, 3, size, size, generator=g) * 2 - 1).to(device)
    with torch.no_grad():
        return (model.generator(z, size=size, add_noise=False).float(),
                model.discriminator(x).float())


def strict_outputs(model, size, device):
    """:func:`network_outputs` in float32 without TF32 (the reference of every setting)."""
    from mmposgan.engine.feature_format import set_tf32
    allow = (torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32)
    set_tf32(False)
    try:
        return network_outputs(model, size, device)
    finally:
        torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = allow


def relative_errors(outputs, reference):
    return {k: float((o - r).norm() / r.norm()) for k, o, r in zip('GD', outputs, reference)}


def plan_for(schedule, sizes, probs, steps, seed=0):
    if schedule == 'mixed':
        rng = np.random.default_rng(seed)
        return [int(s) for s in rng.choice(sizes, size=steps, p=probs)]
    return [int(schedule)] * steps


def run_steps(model, optim, plan, batch, device, first_iter, data):
    from mmengine import MessageHub
    hub = MessageHub.get_current_instance()
    log = None
    for i, size in enumerate(plan):
        if size not in data:
            data[size] = real_batch(size, batch, device, seed=size)
        hub.update_info('iter', first_iter + i)
        log = model.train_step(data[size], optim)
    return log


def sync(device):
    if device.type == 'cuda':
        torch.cuda.synchronize()


def warm_up(model, optim, sizes_in_plan, batch, device, data, cudnn, iters):
    """Iterations ``0..iters-1`` at each scale of the plan (R1 and path length at 0)."""
    for size in sizes_in_plan:
        run_steps(model, optim, [size] * iters, batch, device, 0, data)
    sync(device)
    if cudnn and device.type == 'cuda':
        torch.cuda.empty_cache()  # the algorithm search's workspaces


def measure(model, optim, name, opts, schedule, args, sizes, probs, device):
    plan = plan_for(schedule, sizes, probs, args.steps * (2 if schedule == 'mixed' else 1))
    data = {}
    patches, handles = Patches(), []
    result = dict(setting=name, opts=opts, schedule=schedule, batch=args.batch)
    size = max(plan)
    tf32 = (torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32)
    try:
        reference = strict_outputs(model, size, device)
        apply_setting(model, opts, device, patches, handles)
        result['rel_err'] = relative_errors(network_outputs(model, size, device), reference)
        t0 = time.perf_counter()
        warm_up(model, optim, sorted(set(plan)), args.batch, device, data, opts.get('cudnn'),
                args.warmup)
        result['warmup_s'] = time.perf_counter() - t0
        if device.type == 'cuda':
            result['warmup_peak_allocated_mib'] = torch.cuda.max_memory_allocated() / 2**20
            torch.cuda.reset_peak_memory_stats()
        t0 = time.perf_counter()
        log = run_steps(model, optim, plan, args.batch, device, FIRST_TIMED_ITER, data)
        sync(device)
        seconds = (time.perf_counter() - t0) / len(plan)
        result.update(seconds=seconds, img_per_s=args.batch / seconds,
                      losses={k: float(v) for k, v in log.items()},
                      plan={str(s): plan.count(s) for s in sorted(set(plan))})
        result['finite'] = all(math.isfinite(v) for v in result['losses'].values())
        if device.type == 'cuda':
            result['peak_allocated_mib'] = torch.cuda.max_memory_allocated() / 2**20
            result['peak_reserved_mib'] = torch.cuda.max_memory_reserved() / 2**20
    except Exception as e:  # one failing setting must not end the sweep
        result['error'] = f'{type(e).__name__}: {str(e)[:400]}'
    finally:
        for h in handles:
            h.remove()
        patches.restore()
        torch.backends.cudnn.benchmark = False
        torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = tf32
        data.clear()
        gc.collect()
        if device.type == 'cuda':
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
    return result


class FlopCount(TorchDispatchMode):
    """Sum of torch's FLOP formulas (convolutions, matrix products) over the ops run.

    ``torch.utils.flop_counter.FlopCounterMode`` also tracks modules with gradient hooks,
    which ``autograd.grad`` of a leaf input (R1) does not support.
    """

    def __init__(self):
        super().__init__()
        self.total = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        from torch.utils.flop_counter import flop_registry
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        formula = flop_registry.get(func._overloadpacket)
        if formula is not None:
            self.total += formula(*args, **kwargs, out_val=out)
        return out


def count_flops(model, optim, size, batch, device):
    """Floating-point operations of one step, averaged over a 16-iteration cycle."""
    data, flops = {}, {}
    for it in (16, 20, 17):  # R1 + path length, path length only, neither
        random.seed(0)  # the same style-mixing draws (a second mapping pass) every time
        with FlopCount() as counter:
            run_steps(model, optim, [size], batch, device, it, data)
        flops[it] = counter.total
    return (flops[16] + 3 * flops[20] + 12 * flops[17]) / 16


def count_flops_only(model, optim, schedules, args, info):
    """``--device meta``: the FLOPs of a step at each scale, from shapes alone (no GPU)."""
    ema = getattr(model, 'generator_ema', None)
    if ema is not None:  # reads its step count with .item(); it runs no conv or matmul
        ema.update_parameters = lambda *a, **k: None
    info['flops_per_step'] = {}
    for s in schedules:
        if s != 'mixed':
            flops = count_flops(model, optim, int(s), args.batch, torch.device('meta'))
            info['flops_per_step'][s] = flops
            print(f'{s}: {flops:.4e} FLOPs per step of {args.batch} images '
                  f'({flops / args.batch:.3e} per image)', flush=True)
    save(args.json, info, [])


def profile(model, optim, schedule, args, sizes, probs, device, path):
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile
    plan = plan_for(schedule, sizes, probs, 4)
    data = {}
    run_steps(model, optim, plan, args.batch, device, FIRST_TIMED_ITER, data)
    sync(device)
    acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device.type == 'cuda' else [])
    t0 = time.perf_counter()
    with torch_profile(activities=acts) as prof:
        run_steps(model, optim, plan, args.batch, device, FIRST_TIMED_ITER, data)
        sync(device)
    wall = time.perf_counter() - t0
    events = prof.key_averages()
    key = 'self_device_time_total' if device.type == 'cuda' else 'self_cpu_time_total'
    busy = sum(getattr(e, key, 0) for e in events if e.device_type.name == 'CUDA') / 1e6
    with open(path, 'w') as f:
        f.write(f'# {len(plan)} steps at {schedule}, wall {wall:.3f} s, GPU kernels busy '
                f'{busy:.3f} s ({busy / wall:.0%} of the wall time)\n')
        f.write(events.table(sort_by=key, row_limit=30, max_name_column_width=70))
    return dict(wall_s=wall, kernel_busy_s=busy)


def print_row(r):
    if 'error' in r:
        print(f"{r['setting']:>22} {r['schedule']:>6}  ERROR {r['error']}", flush=True)
        return
    mem = (f"{r['peak_allocated_mib']:8.0f} {r['peak_reserved_mib']:8.0f}"
           if 'peak_allocated_mib' in r else '       -        -')
    err = r.get('rel_err') or {}
    errs = ' '.join(f'{k}={v:.1e}' for k, v in err.items())
    print(f"{r['setting']:>22} {r['schedule']:>6} {r['seconds']:8.4f} {r['img_per_s']:8.2f} "
          f"{mem}  finite={r['finite']} {errs}", flush=True)


def add_bench_args(parser):
    """``--config --device --threads --json``: the arguments of every training benchmark."""
    parser.add_argument('--config', default=CONFIG_F)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--threads', type=int, default=0, help='CPU threads (0: torch\'s)')
    parser.add_argument('--json')
    return parser


def parse_bench_args(parser):
    """Parse, and set torch's CPU threads when ``--threads`` is given."""
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    return args


def main():
    parser = add_bench_args(argparse.ArgumentParser(description=__doc__.split('\n')[0]))
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--steps', type=int, default=16,
                        help='timed steps per scale (twice as many for mixed); use 16k')
    parser.add_argument('--warmup', type=int, default=4, help='warm-up iterations per scale')
    parser.add_argument('--schedules', nargs='+', default=['512', '256', '384', 'mixed'])
    parser.add_argument('--setting', action='append', default=[],
                        help='NAME[:key=value,...] (repeatable; default: torch defaults)')
    parser.add_argument('--then-scales', type=int, default=None)
    parser.add_argument('--profile')
    parser.add_argument('--flops', action='store_true')
    args = parse_bench_args(parser)
    settings = [parse_setting(s) for s in args.setting or ['default']]
    device = torch.device(args.device)
    model, optim, sizes, probs = build(args.config, device, args.batch)
    schedules = list(args.schedules)
    for s in schedules:
        if s != 'mixed' and int(s) not in sizes:
            raise ValueError(f'schedule {s} is not one of the config\'s scales {sizes}')
    info = dict(config=osp.relpath(args.config, ROOT), device=str(device), torch=torch.__version__,
                batch=args.batch, steps=args.steps, scales=sizes, probs=probs)
    if device.type == 'cuda':
        info['gpu'] = torch.cuda.get_device_name()
    print(json.dumps(info), flush=True)
    if device.type == 'meta':
        return count_flops_only(model, optim, schedules, args, info)
    print(f"{'setting':>22} {'sched':>6} {'s/step':>8} {'img/s':>8} {'alloc':>8} {'reserv':>8}"
          '  (MiB; rel. error of G and D outputs vs strict float32)', flush=True)
    results = []
    # every run starts from the same weights and an empty optimizer state (a setting that
    # diverged, e.g. float16 without loss scaling, does not spoil the next)
    start = ({k: v.clone() for k, v in model.state_dict().items()},
             copy.deepcopy(optim.state_dict()))

    def run(name, opts, schedule):
        model.load_state_dict(start[0])
        optim.load_state_dict(copy.deepcopy(start[1]))
        random.seed(0)  # style mixing
        torch.manual_seed(0)  # latents and noise
        r = measure(model, optim, name, opts, schedule, args, sizes, probs, device)
        results.append(r)
        print_row(r)
        save(args.json, info, results)
        return r

    first = [run(name, opts, schedules[0]) for name, opts in settings]
    ranked = [r['setting'] for r in sorted((r for r in first if r.get('finite')),
                                           key=lambda r: r['seconds'])]
    chosen = settings
    if args.then_scales is not None:
        names = {settings[0][0], *[n for n in ranked if n != settings[0][0]][:args.then_scales]}
        chosen = [s for s in settings if s[0] in names]
    for schedule in schedules[1:]:
        for name, opts in chosen:
            run(name, opts, schedule)
    info['summary'] = summary(results, schedules)
    if args.flops:
        info['flops_per_step'] = count_flops(model, optim, int(schedules[0]) if
                                             schedules[0] != 'mixed' else sizes[-1],
                                             args.batch, device)
        print(f"FLOPs per step at {schedules[0]}: {info['flops_per_step']:.3e}", flush=True)
    if args.profile:
        name, opts = next(s for s in settings if s[0] == (ranked or [settings[0][0]])[0])
        patches, handles = Patches(), []
        apply_setting(model, opts, device, patches, handles)
        info['profile'] = dict(setting=name, **profile(model, optim, schedules[0], args, sizes,
                                                       probs, device, args.profile))
        print(f"profile ({name}): {info['profile']}", flush=True)
    save(args.json, info, results)


def summary_rows(results, schedules):
    """Per setting: img/s per schedule and the mixed / largest-scale peak-memory ratio."""
    rows = {}
    for r in results:
        if 'seconds' in r:
            rows.setdefault(r['setting'], {})[r['schedule']] = r
    out = {}
    for name, by in rows.items():
        row = {s: round(by[s]['img_per_s'], 2) for s in schedules if s in by}
        big = max((s for s in by if s != 'mixed'), key=int, default=None)
        if 'mixed' in by and big and 'peak_reserved_mib' in by['mixed']:
            row['mixed_over_largest_reserved'] = round(
                by['mixed']['peak_reserved_mib'] / by[big]['peak_reserved_mib'], 3)
            row['mixed_over_largest_allocated'] = round(
                by['mixed']['peak_allocated_mib'] / by[big]['peak_allocated_mib'], 3)
        out[name] = row
    return out


def summary(results, schedules):
    """Print :func:`summary_rows` and return them."""
    rows = summary_rows(results, schedules)
    print('\nimg/s per schedule (and mixed/largest peak memory):', flush=True)
    for name, row in rows.items():
        print(f'{name:>22}: ' + ', '.join(f'{k} {v}' for k, v in row.items()), flush=True)
    return rows


def save(path, info, results):
    if path:
        with open(path, 'w') as f:
            json.dump(dict(info=info, results=results), f, indent=1)


if __name__ == '__main__':
    main()
