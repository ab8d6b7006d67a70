"""Which released "padding-free" models are padding-free? (constant-input test, §3.3 / App. B.2)

    python tools/analysis/padding_free_table.py --out DIR [--configs CONFIG ...]
        [--values -1 1] [--threshold 1e-3]

Runs ``tools/analysis/padding_effect.py --no-noise`` on every config (default:
every release config, ``configs/*/*release*.py``) with random weights: the
input head (SinGAN: the stage-0 input) filled with each value, the per-pixel
noise off, so every input is spatially constant.  A network into which no
zero ever enters returns a spatially uniform image (deviation at float32
round-off); any zero padding (of a conv, or of an upsampling filter) shows as
border structure.  The verdict uses the deviation relative to the image's
largest value (SinGAN's random initialisation makes outputs of ~1e-4).
Random weights suffice: whether zeros enter is a property
of the structure, not of training.

Writes ``DIR/<config>/padding_effect.{png,json}`` per config and
``DIR/padding_free_table.md`` / ``.json``.
"""
import argparse
import glob
import json
import os
import os.path as osp

from padding_effect import parse_args as effect_args
from padding_effect import run as run_effect

from mmposgan.utils.launch import add_model_args, run_cli

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
RELEASE_CONFIGS = osp.join(REPO, 'configs', '*', '*release*.py')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    add_model_args(parser, model=False)
    parser.add_argument('--configs', nargs='+', help='configs (default: every release config)')
    parser.add_argument('--values', type=float, nargs='+', default=[-1.0, 1.0])
    parser.add_argument('--threshold', type=float, default=1e-3,
                        help='largest deviation, relative to the largest value of the image, '
                        'still counted as uniform (float32 round-off)')
    return parser.parse_args(argv)


def trained_as_padding_free(config: str) -> bool:
    """Whether the config's name says padding-free (``nopad`` / ``interp-pad``)."""
    name = osp.basename(config)
    return 'nopad' in name or 'interp-pad' in name


def main(argv=None):
    args = parse_args(argv)
    configs = args.configs or sorted(glob.glob(RELEASE_CONFIGS))
    if not configs:
        raise ValueError(f'no configs match {RELEASE_CONFIGS}')
    rows = []
    for config in configs:
        name = osp.splitext(osp.basename(config))[0]
        out = osp.join(args.out, name)
        os.makedirs(out, exist_ok=True)
        effect = effect_args([config, '--out', out, '--num', '1', '--no-noise', '--device',
                              args.device, '--values', *map(str, args.values)])
        summary = run_effect(effect)
        deviation = max(summary['max_deviation_from_spatial_mean'])
        relative = max(summary['max_relative_deviation'])
        rows.append(dict(config=osp.relpath(config, REPO), padding=summary['padding'],
                         skip_upsample=summary.get('skip_upsample', '-'),
                         named_padding_free=trained_as_padding_free(config),
                         max_deviation=deviation, max_relative_deviation=relative,
                         padding_free=relative < args.threshold,
                         image=osp.relpath(summary['image'], args.out)))
        print(f'{name}: max deviation {deviation:.3g} (relative {relative:.3g})', flush=True)
    lines = ['| config | padding | RGB skip | named padding-free | max deviation (relative) '
             '| padding-free |', '|---|---|---|---|---|---|']
    for r in rows:
        lines.append(f'| `{r["config"]}` | `{r["padding"]}` | {r["skip_upsample"]} | '
                     f'{"yes" if r["named_padding_free"] else "no"} | '
                     f'{r["max_deviation"]:.2g} ({r["max_relative_deviation"]:.2g}) | '
                     f'{"**yes**" if r["padding_free"] else "no"} |')
    with open(osp.join(args.out, 'padding_free_table.md'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(osp.join(args.out, 'padding_free_table.json'), 'w') as f:
        json.dump(dict(values=args.values, threshold=args.threshold, rows=rows), f, indent=1)
    print('\n'.join(lines))
    return rows


if __name__ == '__main__':
    run_cli(main)
