"""Training-step time and peak memory: mmposgan's MS-PIE StyleGAN2 vs mmagic's.

Same architecture on both sides (mmagic's MS-PIE config f: SPE head of 512
channels, conv + bilinear upsampling, zero padding, adaptive-pool
discriminator), same batch, same precision.  One step = generator forward,
discriminator forward on fake and real images, non-saturating losses, and
backward through both networks (the cost of a G+D update without the
lazy regularisers).  Each implementation and schedule runs in its own
process so the peak-memory figure is its own.

    python benchmarks/ms_pie_step.py [--base 64] [--batch 4] [--steps 3]
        [--device cpu|cuda] [--channels-last] [--json OUT.json]

Prints a table of seconds/step and peak memory (max RSS on CPU, peak
allocated on CUDA) at each scale and for the mixed schedule, and the
mmagic/mmposgan ratios.
"""
import argparse
import json
import os
import os.path as osp
import resource
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def build(impl, base, device, cm=1):
    if impl == 'mmagic':
        from mmagic.models.editors.mspie import MSStyleGAN2Discriminator, MSStyleGANv2Generator
        gen = MSStyleGANv2Generator(
            out_size=base, style_channels=512, channel_multiplier=cm, deconv2conv=True,
            up_after_conv=True, up_config=dict(scale_factor=2, mode='bilinear',
                                               align_corners=True),
            head_pos_encoding=dict(type='SPE', embedding_dim=256, padding_idx=0, init_size=256,
                                   center_shift=100))
        disc = MSStyleGAN2Discriminator(in_size=base, channel_multiplier=cm,
                                        with_adaptive_pool=True)
        step_kw = lambda offset: dict(chosen_scale=offset)  # noqa: E731
    else:
        from mmengine.registry import init_default_scope
        init_default_scope('mmposgan')
        import mmposgan.models  # noqa: F401  (the networks only)
        from mmposgan.registry import MODELS
        try:
            import mmcv.ops  # noqa: F401
        except ImportError:  # mmcv-lite (e.g. a GPU box): skip importing the GAN algorithms
            MODELS._imported = True
        gen = MODELS.build(dict(
            type='PositionalStyleGAN2Generator', out_size=base, channel_multiplier=cm,
            head=dict(type='MMagicSinusoidalEncoding2d', out_channels=512, resize='expand'),
            upsample='ConvThenBilinear', skip_upsample='FIRUpsample'))
        disc = MODELS.build(dict(type='MultiScaleStyleGAN2Discriminator', in_size=base,
                                 channel_multiplier=cm, pool_size=2))
        step_kw = lambda offset: dict(scale_offset=offset)  # noqa: E731
    return gen.to(device).train(), disc.to(device).train(), step_kw


def benchmark_parser(description, steps, schedules):
    """The options every MS-PIE benchmark script takes (and its hidden per-process ones)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--base', type=int, default=64)
    parser.add_argument('--batch', type=int, default=4)
    parser.add_argument('--steps', type=int, default=steps)
    parser.add_argument('--schedules', nargs='+', default=schedules)
    parser.add_argument('--json')
    parser.add_argument('--impl', help=argparse.SUPPRESS)
    parser.add_argument('--schedule', help=argparse.SUPPRESS)
    return parser


def run_isolated(script, args, impl, schedule, *options):
    """Run ``script`` for one implementation and schedule in a fresh process.

    A process of its own keeps one run's peak memory and allocator state out of
    the next; the child prints its result as JSON on its last line.
    """
    cmd = [sys.executable, script, '--impl', impl, '--schedule', schedule, '--base',
           str(args.base), '--batch', str(args.batch), '--steps', str(args.steps), *options]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONWARNINGS='ignore'))
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def paired(results, args):
    """``(schedule, size, mmagic_result, mmposgan_result)`` per schedule run by both."""
    for schedule in args.schedules:
        row = {r['impl']: r for r in results if r['schedule'] == schedule}
        if len(row) == 2:
            size = 'mixed' if schedule == 'mixed' else str((4 + int(schedule)) * args.base // 4)
            yield schedule, size, row['mmagic'], row['mmposgan']


def save_json(args, results):
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(args=vars(args), results=results), f, indent=1)


def make_step(gen, disc, step_kw, base, batch, device, amp=False):
    """One benchmark step at a scale offset: G forward, D on fake and real, backward."""
    import torch
    import torch.nn.functional as F
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=amp)

    def step(offset):
        size = (4 + offset) * base // 4
        z = torch.randn(batch, 512, device=device)
        real = torch.randn(batch, 3, size, size, device=device)
        with autocast:
            fake = gen(z, **step_kw(offset))
            loss = F.softplus(-disc(fake)).float().mean() + F.softplus(disc(real)).float().mean()
        loss.backward()
        gen.zero_grad(set_to_none=True)
        disc.zero_grad(set_to_none=True)

    return step


def run_one(args):
    import numpy as np
    import torch
    torch.manual_seed(0)
    torch.set_num_threads(args.threads or torch.get_num_threads())
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    device = torch.device(args.device)
    gen, disc, step_kw = build(args.impl, args.base, device, args.channel_multiplier)
    if args.channels_last:
        gen, disc = gen.to(memory_format=torch.channels_last), disc.to(
            memory_format=torch.channels_last)
    offsets = [0, 2, 4]
    if args.schedule == 'mixed':
        rng = np.random.default_rng(0)
        plan = [int(o) for o in rng.choice(offsets, size=args.steps + 1, p=[0.5, 0.25, 0.25])]
    else:
        plan = [int(args.schedule)] * (args.steps + 1)

    step = make_step(gen, disc, step_kw, args.base, args.batch, device, args.amp)

    sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)
    step(plan[0])  # warm-up (first-call allocations, kernel selection)
    sync()
    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    for offset in plan[1:]:
        step(offset)
    sync()
    seconds = (time.perf_counter() - start) / args.steps
    extra = {}
    if device.type == 'cuda':
        peak = torch.cuda.max_memory_allocated() / 2**20
        extra['peak_reserved_mib'] = torch.cuda.max_memory_reserved() / 2**20
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(dict(impl=args.impl, schedule=args.schedule, seconds=seconds, peak_mib=peak,
                          plan=plan[1:], **extra)))


def main():
    parser = benchmark_parser(__doc__.split('\n')[0], 3, ['0', '2', '4', 'mixed'])
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--threads', type=int, default=0)
    parser.add_argument('--channels-last', action='store_true')
    parser.add_argument('--cudnn-benchmark', action='store_true',
                        help='torch.backends.cudnn.benchmark (mmagic configs leave it on)')
    parser.add_argument('--channel-multiplier', type=int, default=1)
    parser.add_argument('--amp', action='store_true', help='bfloat16 autocast')
    parser.add_argument('--impls', nargs='+', default=['mmagic', 'mmposgan'])
    args = parser.parse_args()
    if args.impl:
        return run_one(args)
    options = ['--device', args.device, '--threads', str(args.threads),
               '--channel-multiplier', str(args.channel_multiplier)]
    options += [flag for flag, on in (('--channels-last', args.channels_last),
                                      ('--cudnn-benchmark', args.cudnn_benchmark),
                                      ('--amp', args.amp)) if on]
    results = []
    for schedule in args.schedules:
        for impl in args.impls:
            results.append(run_isolated(__file__, args, impl, schedule, *options))
            r = results[-1]
            reserved = (f", reserved {r['peak_reserved_mib']:.0f} MiB"
                        if 'peak_reserved_mib' in r else '')
            print(f"{r['impl']:>9} schedule={schedule:>5}: {r['seconds']:.3f} s/step, "
                  f"peak {r['peak_mib']:.0f} MiB{reserved}", flush=True)
    print('\nschedule  size  mmagic s/step  mmposgan s/step  speed-up  mmagic MiB  mmposgan MiB')
    for schedule, size, a, b in paired(results, args):
        print(f"{schedule:>8}  {size:>5}  {a['seconds']:13.3f}  {b['seconds']:15.3f}  "
              f"{a['seconds'] / b['seconds']:7.2f}x  {a['peak_mib']:10.0f}  {b['peak_mib']:12.0f}")
    save_json(args, results)


if __name__ == '__main__':
    main()
