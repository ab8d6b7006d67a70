"""Sample a trained model and write PNG grids.

One entry for every model family (``mmposgan.apis.sample``, which picks the
family's sampler by the model's class); an option of another family (e.g.
``--size`` for a SinGAN) is an error, not silently ignored.

SinGAN (any size and aspect ratio, Fig. 7):

    python tools/sample.py CONFIG CHECKPOINT_OR_URL --out DIR [--num 8]
        [--width-scale 1.5] [--height-scale 1.0] [--seed 0] [--recon] [--seamless x|xy]

writes ``DIR/samples_h{H}xw{W}.png`` (and ``DIR/recon.png`` with ``--recon``).

MS-PIE StyleGAN2 (any height x width; several sizes share the same latents,
Fig. 6):

    python tools/sample.py CONFIG CHECKPOINT_OR_URL --out DIR --size 256x512 384 [...]
        [--num 16] [--seed 0] [--truncation 1.0] [--seamless x|xy]

``HxW`` is height x width, a bare number is square (``--scale`` is the same
option under its old name).  A size the generator does not make (each side
``(4 + k) * out_size / 4``) is produced at the next larger one and
centre-cropped, and the tool says so.  Writes ``DIR/samples_{size}.png`` per
size.

``--seamless x`` makes the model's generators wrap left-right (360-degree
panoramas), ``xy`` also top-bottom (tileable textures), without retraining
(``mmposgan.apis.make_seamless``).

DCGAN / PGGAN (padding study; at the training size):

    python tools/sample.py CONFIG CHECKPOINT_OR_URL --out DIR [--num 16] [--seed 0]

writes ``DIR/samples_{H}x{W}.png``.  The paths are printed.  The checkpoint
must fit the config's model (``--partial-load`` loads the part that fits).

A URL is downloaded once into the checkpoint cache, verified and converted
from the released mmagic layout when needed (docs/checkpoints.md).
"""
import argparse
import os.path as osp

from mmengine.config import DictAction

from mmposgan import apis
from mmposgan.utils.launch import add_load_args, run_cli


def parse_size(text: str):
    """``'256x512' -> (256, 512)`` (height x width), ``'384' -> 384`` (square)."""
    try:
        sides = [int(n) for n in text.lower().split('x')]
    except ValueError:
        sides = []
    if len(sides) not in (1, 2) or min(sides) < 1:
        raise argparse.ArgumentTypeError(f'a size is N (square) or HxW, e.g. 256x512; got {text!r}')
    return sides[0] if len(sides) == 1 else tuple(sides)


def parse_args(argv=None):
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
    parser.add_argument('--size', type=parse_size, nargs='+',
                        help='StyleGAN2: output sizes, HxW or N (square), e.g. 256x512 384 '
                        '(default: base size)')
    parser.add_argument('--scale', type=parse_size, nargs='+', help='the same as --size')
    parser.add_argument('--truncation', type=float, help='StyleGAN2: truncation psi (default 1)')
    parser.add_argument('--seamless', choices=['x', 'xy'],
                        help='StyleGAN2, SinGAN: left-right edges join (x, panoramas) or also '
                        'top-bottom (xy, tiles)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    add_load_args(parser)
    return parser.parse_args(argv)


#: Options of the tool -> the option of ``mmposgan.apis.sample`` they set.
OPTIONS = dict(size='sizes', scale='sizes', truncation='truncation', width_scale='size_scale',
               height_scale='size_scale', recon='recon', seamless='seamless')


def flag(name: str) -> str:
    return '--' + name.replace('_', '-')


def sample_options(args, model) -> dict:
    """The options of ``mmposgan.apis.sample`` that ``args`` set.

    Raises:
        ValueError: An option the model's family does not take (the message
            names it and the options the family takes).
    """
    given = [name for name in OPTIONS if getattr(args, name) is not None
             and getattr(args, name) is not False]
    takes = apis.sample_options(model)
    refused = [name for name in given if OPTIONS[name] not in takes]
    if refused:
        fits = [flag(name) for name, option in OPTIONS.items() if option in takes]
        raise ValueError(f'{" ".join(map(flag, refused))} does not apply to '
                         f'{type(model).__name__} ({args.config}); '
                         + (f'it takes {" ".join(fits)}' if fits else
                            'it samples only at its training size'))
    options = {}
    if args.size or args.scale:
        options['sizes'] = (args.size or []) + (args.scale or [])
    if args.width_scale is not None or args.height_scale is not None:
        options['size_scale'] = tuple(1.0 if v is None else v
                                      for v in (args.height_scale, args.width_scale))
    for name in ('truncation', 'recon', 'seamless'):
        if name in given:
            options[name] = getattr(args, name)
    return options


def main(argv=None):
    args = parse_args(argv)
    if args.num < 1:
        raise ValueError(f'--num must be >= 1, got {args.num}')
    model = apis.init_model(args.config, args.checkpoint, args.device, args.cfg_options,
                            strict=not args.partial_load)
    for grid in apis.sample(model, args.num, seed=args.seed, **sample_options(args, model)):
        for note in grid.notes:
            print(f'warning: {note}')
        (h, w), (big_h, big_w) = grid.size, grid.produced
        if grid.cropped:
            print(f'{h}x{w} is not a size the generator makes: produced at {big_h}x{big_w} and '
                  f'centre-cropped')
        path = apis.save_image_grid(grid.images, osp.join(args.out, f'{grid.name}.png'),
                                    nrow=args.nrow)
        print(f'{len(grid.images)} samples of {h}x{w} written to {path}')


if __name__ == '__main__':
    run_cli(main)
