"""Sample a trained model and write PNG grids.

SinGAN (any size and aspect ratio, Fig. 7):

    python tools/sample.py CONFIG CHECKPOINT_OR_URL --out DIR [--num 8]
        [--width-scale 1.5] [--height-scale 1.0] [--seed 0] [--recon]

writes ``DIR/samples_h{H}xw{W}.png`` (and ``DIR/recon.png`` with ``--recon``).

MS-PIE StyleGAN2 (any scale the model supports; several scales share the
same latents, Fig. 6):

    python tools/sample.py CONFIG CHECKPOINT_OR_URL --out DIR --scale 512 [384 256]
        [--num 16] [--seed 0] [--truncation 1.0]

writes ``DIR/samples_{size}.png`` per scale.  The paths are printed.

A URL is downloaded once into the checkpoint cache, verified and converted
from the released mmagic layout when needed (docs/checkpoints.md).
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction  # noqa: E402

import mmposgan  # noqa: E402,F401
from mmposgan.apis import (init_model, sample_multiscale, sample_singan,  # noqa: E402
                           save_image_grid)
from mmposgan.utils.launch import run_cli  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description='Sample a trained mmposgan model')
    parser.add_argument('config')
    parser.add_argument('checkpoint', help='checkpoint path or URL')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--num', type=int, default=8, help='number of samples')
    parser.add_argument('--width-scale', type=float, default=1.0,
                        help='output width relative to the training image (e.g. 1.5)')
    parser.add_argument('--height-scale', type=float, default=1.0,
                        help='output height relative to the training image')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--nrow', type=int, default=4, help='images per grid row')
    parser.add_argument('--recon', action='store_true', help='SinGAN: also write the reconstruction')
    parser.add_argument('--scale', type=int, nargs='+',
                        help='StyleGAN2: output size(s), e.g. 256 384 512 (default: base size)')
    parser.add_argument('--truncation', type=float, default=1.0, help='StyleGAN2: truncation psi')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    return parser.parse_args()


def main():
    args = parse_args()
    if args.num < 1 or args.width_scale <= 0 or args.height_scale <= 0:
        sys.exit('--num must be >= 1 and the scales positive')
    model = init_model(args.config, args.checkpoint, args.device, args.cfg_options)
    if not hasattr(model, 'sample'):  # a multi-scale StyleGAN2
        gen = getattr(model.generator, 'module', model.generator)
        scales = args.scale or [gen.out_size]
        grids = sample_multiscale(model, args.num, scales, seed=args.seed,
                                  truncation=args.truncation)
        for size, images in grids.items():
            path = save_image_grid(images, osp.join(args.out, f'samples_{size}.png'),
                                   nrow=args.nrow)
            print(f'{args.num} samples of {size}x{size} written to {path}')
        return
    scale = (args.height_scale, args.width_scale)
    images = sample_singan(model, args.num, size_scale=scale, seed=args.seed)
    h, w = images.shape[-2:]
    path = save_image_grid(images, osp.join(args.out, f'samples_h{h}xw{w}.png'), nrow=args.nrow)
    print(f'{args.num} samples of {h}x{w} (height x width) written to {path}')
    if args.recon:
        recon = sample_singan(model, 1, mode='recon')
        path = save_image_grid(recon, osp.join(args.out, 'recon.png'), nrow=1)
        print(f'reconstruction written to {path}')


if __name__ == '__main__':
    run_cli(main)
