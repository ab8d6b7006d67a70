"""Where the MS-PIE step's time goes, and the most any non-conv work can buy.

Profiles the step of ``ms_pie_step.py`` (same networks, same step) with
``torch.profiler`` for mmposgan and mmagic at each scale, and splits each
step's time into the dense convolution kernels (forward and both backward
passes) and everything else.  Both implementations run convolutions of the
same shapes and count, so

    bound = mmagic step time / mmposgan convolution time

is the largest speed-up over mmagic that any change *outside* the
convolution kernels can reach (all other work of ours taking no time at all).

    python benchmarks/ms_pie_profile.py [--base 64] [--batch 4] [--steps 2]
        [--schedules 0 2 4] [--json OUT.json]
"""
import json
import time

from ms_pie_step import benchmark_parser, build, make_step, paired, run_isolated, save_json

CONV_KERNELS = ('aten::mkldnn_convolution', 'aten::convolution_backward',
                'aten::_slow_conv2d_forward', 'aten::_slow_conv2d_backward',
                'aten::thnn_conv2d', 'aten::_nnpack_spatial_convolution',
                'aten::slow_conv_transpose2d', 'aten::_conv_depthwise2d')


def profile_one(args):
    import torch
    from torch.profiler import ProfilerActivity, profile
    torch.manual_seed(0)
    device = torch.device('cpu')
    gen, disc, step_kw = build(args.impl, args.base, device)
    step = make_step(gen, disc, step_kw, args.base, args.batch, device)
    offset = int(args.schedule)
    step(offset)  # warm-up
    start = time.perf_counter()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(args.steps):
            step(offset)
    wall = (time.perf_counter() - start) / args.steps
    conv = other = 0.0
    calls = {}
    for event in prof.key_averages():
        seconds = event.self_cpu_time_total / 1e6 / args.steps
        if event.key in CONV_KERNELS:
            conv += seconds
            calls[event.key] = event.count // args.steps
        else:
            other += seconds
    print(json.dumps(dict(impl=args.impl, schedule=args.schedule, wall_s=wall, conv_s=conv,
                          other_s=other, conv_calls=calls)))


def main():
    parser = benchmark_parser(__doc__.split('\n')[0], 2, ['0', '2', '4'])
    args = parser.parse_args()
    if args.impl:
        return profile_one(args)
    results = []
    for schedule in args.schedules:
        for impl in ('mmagic', 'mmposgan'):
            results.append(run_isolated(__file__, args, impl, schedule))
            r = results[-1]
            print(f"{impl:>9} schedule={schedule}: {r['wall_s']:.2f} s/step (profiled), "
                  f"conv {r['conv_s']:.2f} s, other {r['other_s']:.2f} s", flush=True)
    print('\nschedule  size  mmagic conv/other (s)  mmposgan conv/other (s)  '
          'speed-up (profiled)  bound = mmagic / mmposgan conv')
    for schedule, size, a, b in paired(results, args):
        print(f"{schedule:>8}  {size:>4}  {a['conv_s']:9.2f} / {a['other_s']:5.2f}      "
              f"{b['conv_s']:10.2f} / {b['other_s']:5.2f}     {a['wall_s'] / b['wall_s']:13.2f}x  "
              f"{a['wall_s'] / b['conv_s']:14.2f}x")
    save_json(args, results)


if __name__ == '__main__':
    main()
