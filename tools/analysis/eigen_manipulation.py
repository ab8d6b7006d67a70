"""Eigen-manipulation (paper App. D.3, Fig. 17) of a multi-scale StyleGAN2.

    python tools/analysis/eigen_manipulation.py CONFIG CHECKPOINT --out DIR
        [--eigen 0 1 2] [--steps -5 -2.5 0 2.5 5] [--slots 8 9] [--size 512]
        [--seed 0] [--truncation 0.7]

Writes ``DIR/eigen_manipulation_{size}.png``: one row per eigenvector (of the
concatenated style-modulation weights), one column per step; ``--slots``
moves only those latent slots (layers), otherwise all.
"""
import argparse
import os.path as osp

import torch

import mmposgan  # noqa: F401
from mmposgan.analysis import closed_form_factorization, manipulate
from mmposgan.apis import load_generator, save_image_grid
from mmposgan.utils.launch import add_model_args, run_cli


def parse_args():
    parser = argparse.ArgumentParser(description='Eigen-manipulation (App. D.3)')
    add_model_args(parser, seed=0)
    parser.add_argument('--eigen', type=int, nargs='+', default=[0, 1, 2],
                        help='eigenvector indices (0: largest eigenvalue)')
    parser.add_argument('--steps', type=float, nargs='+', default=[-5, -2.5, 0, 2.5, 5])
    parser.add_argument('--slots', type=int, nargs='+', help='latent slots to move (default all)')
    parser.add_argument('--size', type=int, help='output size (default: the base size)')
    parser.add_argument('--truncation', type=float, default=1.0)
    return parser.parse_args()


def main():
    args = parse_args()
    generator = load_generator(args.config, args.checkpoint, args.device)
    if not hasattr(generator, 'mapping'):
        raise ValueError(f'{args.config}: eigen-manipulation needs a PositionalStyleGAN2Generator')
    size = args.size or generator.out_size
    generator.scale_offset(size)
    vecs = closed_form_factorization(generator)
    if max(args.eigen) >= len(vecs):
        raise ValueError(f'--eigen must be < {len(vecs)}')
    z = torch.randn(1, generator.style_channels,
                    generator=torch.Generator().manual_seed(args.seed)).to(args.device)
    rows = [manipulate(generator, z, vecs[i], args.steps, args.slots, size, args.truncation)
            for i in args.eigen]
    path = save_image_grid(torch.cat(rows, 0), osp.join(args.out,
                                                        f'eigen_manipulation_{size}.png'),
                           nrow=len(args.steps))
    print(f'{path}: eigenvectors {args.eigen} (rows) x steps {args.steps} (columns) at {size}px')


if __name__ == '__main__':
    run_cli(main)
