"""Padding-effect experiment (paper Fig. 3 / Fig. 11) for a StyleGAN2 config.

    python tools/analysis/padding_effect.py CONFIG [CHECKPOINT] --out DIR
        [--values -1 -0.5 0 0.5 1] [--num 4] [--size 256] [--seed 0]

Writes ``DIR/padding_effect.png`` (rows: latents; first column: the original
input head, then the head filled with each value, noise off) and
``DIR/padding_effect.json`` (per value, the largest deviation of an image from
its spatial mean: 0 means spatially uniform).  Without CHECKPOINT the
generator keeps its random initial weights, which already shows the effect of
padding (the property does not depend on training).
"""
import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import mmposgan  # noqa: E402,F401
from mmposgan.analysis import padding_effect  # noqa: E402
from mmposgan.apis import load_generator, save_image_grid  # noqa: E402
from mmposgan.utils.launch import run_cli  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description='Padding-effect experiment (Fig. 3/11)')
    parser.add_argument('config')
    parser.add_argument('checkpoint', nargs='?', help='checkpoint (default: random weights)')
    parser.add_argument('--out', required=True)
    parser.add_argument('--values', type=float, nargs='+', default=[-1, -0.5, 0, 0.5, 1])
    parser.add_argument('--num', type=int, default=4, help='number of latents (rows)')
    parser.add_argument('--size', type=int, help='output size (default: the base size)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--no-ema', action='store_true', help='use the non-EMA generator')
    return parser.parse_args()


def main():
    args = parse_args()
    generator = load_generator(args.config, args.checkpoint, args.device,
                               use_ema=not args.no_ema)
    if not hasattr(generator, 'head_size'):
        raise ValueError(f'{args.config}: padding_effect needs a PositionalStyleGAN2Generator')
    result = padding_effect(generator, args.values, args.num, args.size, args.seed)
    path = save_image_grid(result['images'], osp.join(args.out, 'padding_effect.png'),
                           nrow=1 + len(args.values))
    padding = type(generator.padding).__name__
    summary = dict(config=args.config, checkpoint=args.checkpoint, padding=padding,
                   values=args.values,
                   max_deviation_from_spatial_mean=result['spread'].amax(0).tolist())
    with open(osp.join(args.out, 'padding_effect.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    print(f'{path}  (padding {padding}; max deviation from the spatial mean per value: '
          + ', '.join(f'{v:g}: {s:.2e}' for v, s in zip(args.values,
                                                      summary['max_deviation_from_spatial_mean']))
          + ')')


if __name__ == '__main__':
    run_cli(main)
