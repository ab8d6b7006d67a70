"""Spatial-bias probe (paper §3.1-3.3, Eq. 1-5) of a generator's features.

    python tools/analysis/spatial_bias.py CONFIG [CHECKPOINT] --out DIR
        [--num 512] [--batch 32] [--size S]

Feeds i.i.d. N(0, 1) inputs (StyleGAN2: in place of the input head; SinGAN:
as the stage-0 noise, through the generator's own padding mode and head),
estimates per layer the expectation map E(y_i) and the
autocorrelation E(y_i y_{i+d}) for offsets (0,1), (1,0), (1,1), and writes
``DIR/spatial_bias.json`` (mean squared t-values of their departures from
stationarity; about 1.15 when stationary) and ``DIR/mean_map_{layer}.png``
(the channel-averaged expectation map, min-max scaled).  Without CHECKPOINT
the weights stay random.
"""
import argparse
import json
import os
import os.path as osp

import numpy as np
from PIL import Image

import mmposgan  # noqa: F401
from mmposgan.analysis.spatial_bias import generator_features, spatial_bias
from mmposgan.apis import load_generator
from mmposgan.utils.launch import add_model_args, run_cli


def parse_args():
    parser = argparse.ArgumentParser(description='Spatial-bias probe (Eq. 1-5)')
    add_model_args(parser)
    parser.add_argument('--num', type=int, default=512, help='samples (multiple of 16)')
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--size', type=int,
                        help='output size (StyleGAN2) / stage-0 image size (SinGAN, default 32)')
    return parser.parse_args()


def main():
    args = parse_args()
    generator = load_generator(args.config, args.checkpoint, args.device)
    stats = spatial_bias(generator_features(generator, args.size), args.num, args.batch)
    os.makedirs(args.out, exist_ok=True)
    summary = {}
    for name, s in stats.items():
        mean_map = s.pop('mean_map').numpy()
        span = mean_map.max() - mean_map.min()
        img = ((mean_map - mean_map.min()) / (span if span > 0 else 1) * 255).astype(np.uint8)
        Image.fromarray(img).resize((img.shape[1] * 4, img.shape[0] * 4), Image.NEAREST).save(
            osp.join(args.out, f'mean_map_{name}.png'))
        summary[name] = s
        print(f'{name:10s} {s["size"]}: ' + ', '.join(
            f'{k[:-3]} {v:.2f}' for k, v in s.items() if k.endswith('_t2')))
    with open(osp.join(args.out, 'spatial_bias.json'), 'w') as f:
        json.dump(dict(config=args.config, checkpoint=args.checkpoint, num_samples=args.num,
                       layers=summary), f, indent=1)
    print(f'written to {args.out}')


if __name__ == '__main__':
    run_cli(main)
