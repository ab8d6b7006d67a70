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

DCGAN / PGGAN (padding study; at the training size):

    python tools/sample.py CONFIG CHECKPOINT_OR_URL --out DIR [--num 16] [--seed 0]

writes ``DIR/samples_{H}x{W}.png``.  An option of another model family (e.g.
``--scale`` for a SinGAN) is an error, not silently ignored.  The checkpoint
must fit the config's model (``--partial-load`` loads the part that fits).

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
                           sample_unconditional, save_image_grid)
from mmposgan.utils.launch import add_load_args, run_cli  # noqa: E402
from mmposgan.utils.wrappers import unwrapped_module  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description='Sample a trained mmposgan model')
    parser.add_argument('config')
    parser.add_argument('checkpoint', help='checkpoint path or URL')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--num', type=int, default=8, help='number of samples')
    parser.add_argument('--width-scale', type=float,
                        help='SinGAN: output width relative to the training image (e.g. 1.5)')
    parser.add_argument('--height-scale', type=float,
                        help='SinGAN: output height relative to the training image')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--nrow', type=int, default=4, help='images per grid row')
    parser.add_argument('--recon', action='store_true',
                        help='SinGAN: also write the reconstruction')
    parser.add_argument('--scale', type=int, nargs='+',
                        help='StyleGAN2: output size(s), e.g. 256 384 512 (default: base size)')
    parser.add_argument('--truncation', type=float, help='StyleGAN2: truncation psi (default 1)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    add_load_args(parser)
    return parser.parse_args()


#: Options that only one model family takes.
SINGAN_ONLY = ('width_scale', 'height_scale', 'recon')
STYLEGAN2_ONLY = ('scale', 'truncation')


def _refuse(args, names, model, advice):
    given = [f'--{n.replace("_", "-")}' for n in names if getattr(args, n) not in (None, False)]
    if given:
        raise ValueError(f'{" ".join(given)} does not apply to {type(model).__name__} '
                         f'({args.config}); {advice}')


def sample_stylegan2(args, model):
    _refuse(args, SINGAN_ONLY, model, 'a multi-scale StyleGAN2 samples at the sizes given by '
            '--scale (e.g. --scale 256 512)')
    gen = getattr(model.generator, 'module', model.generator)
    scales = args.scale or [gen.out_size]
    grids = sample_multiscale(model, args.num, scales, seed=args.seed,
                              truncation=1.0 if args.truncation is None else args.truncation)
    for size, images in grids.items():
        path = save_image_grid(images, osp.join(args.out, f'samples_{size}.png'), nrow=args.nrow)
        print(f'{args.num} samples of {size}x{size} written to {path}')


def sample_single_image(args, model):
    _refuse(args, STYLEGAN2_ONLY, model, 'a SinGAN samples at sizes relative to its training '
            'image: --width-scale / --height-scale')
    if model.curr_stage < model.num_scales:
        print(f'warning: the checkpoint has trained stages 0..{model.curr_stage} of '
              f'0..{model.num_scales}; these samples come from stage {model.curr_stage}, '
              'coarser than the finished model')
    scale = (args.height_scale or 1.0, args.width_scale or 1.0)
    if min(scale) <= 0:
        raise ValueError(f'--width-scale and --height-scale must be positive, got {scale[::-1]}')
    images = sample_singan(model, args.num, size_scale=scale, seed=args.seed)
    h, w = images.shape[-2:]
    path = save_image_grid(images, osp.join(args.out, f'samples_h{h}xw{w}.png'), nrow=args.nrow)
    print(f'{args.num} samples of {h}x{w} (height x width) written to {path}')
    if args.recon:
        recon = sample_singan(model, 1, mode='recon')
        path = save_image_grid(recon, osp.join(args.out, 'recon.png'), nrow=1)
        print(f'reconstruction written to {path}')


def sample_single_scale(args, model):
    _refuse(args, SINGAN_ONLY + STYLEGAN2_ONLY, model,
            'this GAN samples only at its training size')
    images = sample_unconditional(model, args.num, seed=args.seed)
    h, w = images.shape[-2:]
    path = save_image_grid(images, osp.join(args.out, f'samples_{h}x{w}.png'), nrow=args.nrow)
    print(f'{args.num} samples of {h}x{w} written to {path}')


def main():
    args = parse_args()
    if args.num < 1:
        raise ValueError(f'--num must be >= 1, got {args.num}')
    model = init_model(args.config, args.checkpoint, args.device, args.cfg_options,
                       strict=not args.partial_load)
    if hasattr(model, 'sample'):  # PositionalSinGAN
        sample_single_image(args, model)
    elif hasattr(unwrapped_module(model.generator), 'scale_offset'):  # multi-scale StyleGAN2
        sample_stylegan2(args, model)
    elif hasattr(model, 'noise_fn'):  # mmagic's single-scale GANs: DCGAN, PGGAN
        sample_single_scale(args, model)
    else:
        raise ValueError(f'tools/sample.py cannot sample a {type(model).__name__} '
                         f'({args.config}): it samples SinGAN, multi-scale StyleGAN2 and '
                         "mmagic's unconditional GANs")


if __name__ == '__main__':
    run_cli(main)
