"""Padding-effect experiment (paper §3.3, Fig. 3 / Fig. 11, App. B.2) for a config.

    python tools/analysis/padding_effect.py CONFIG [CHECKPOINT] --out DIR
        [--values -1 -0.5 0 0.5 1] [--num 4] [--size 256] [--seed 0] [--no-noise]

StyleGAN2 / MS-PIE configs: writes ``DIR/padding_effect.png`` (rows: latents;
first column: the original input head, then the head filled with each value)
and ``DIR/padding_effect.json`` (per value, the largest deviation of an image
from its spatial mean, absolute and relative to the image's largest value).
The per-pixel noise stays on as in the paper's App. B.2; ``--no-noise``
switches it off too, so that every input is spatially constant and 0
deviation means "no padding anywhere".

SinGAN configs: the stage-0 input is filled with each value and the later
noise is zero (always noise off); stage sizes come from the checkpoint or,
without one, from the config's image pyramid.

Without CHECKPOINT the generator keeps its random initial weights, which
already shows whether the structure pads (the property does not depend on
training).
"""
import argparse
import json
import os.path as osp

import mmposgan  # noqa: F401
from mmposgan.analysis import padding_effect, singan_padding_effect
from mmposgan.apis import init_model, sampling_generator, save_image_grid
from mmposgan.utils.launch import add_model_args, run_cli


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Padding-effect experiment (Fig. 3/11)')
    add_model_args(parser, seed=0)
    parser.add_argument('--values', type=float, nargs='+', default=[-1, -0.5, 0, 0.5, 1])
    parser.add_argument('--num', type=int, default=4, help='number of latents (rows)')
    parser.add_argument('--size', type=int, help='output size (default: the base size)')
    parser.add_argument('--no-noise', action='store_true',
                        help='switch the per-pixel noise off as well (every input constant)')
    parser.add_argument('--no-ema', action='store_true', help='use the non-EMA generator')
    args = parser.parse_args(argv)
    if args.num < 1:
        parser.error(f'--num must be >= 1, got {args.num}')
    return args


def structure(generator) -> dict:
    """What decides whether zeros enter the network: padding mode and RGB-skip upsampling."""
    out = dict(generator=type(generator).__name__, padding=type(generator.padding).__name__,
               padding_free_convs=bool(generator.padding.is_padding_free))
    to_rgbs = getattr(generator, 'to_rgbs', None)
    if to_rgbs:  # StyleGAN2: the upsampling of the RGB skip (FIR filters pad with zeros)
        out['skip_upsample'] = type(to_rgbs[0].upsample).__name__
    return out


def singan_stage_sizes(model):
    """Stage sizes of a SinGAN model: its fixed noises, else its config's image pyramid."""
    generator = model.gen
    if model.fixed_noises:
        return generator.stage_sizes(model.fixed_noises), list(model.noise_weights)
    from mmposgan.registry import DATASETS
    dataset = DATASETS.build(model.cfg.train_dataloader.dataset)
    dataset.full_init()
    sizes = [tuple(r.shape[:2]) for r in dataset.reals][:generator.num_scales + 1]
    return sizes, None


def run(args) -> dict:
    model = init_model(args.config, args.checkpoint, args.device)
    if hasattr(model, 'fixed_noises'):  # SinGAN
        generator = model.gen
        sizes, weights = singan_stage_sizes(model)
        result = singan_padding_effect(generator, sizes, args.values, weights)
        nrow = len(args.values)
    else:
        generator = sampling_generator(model, use_ema=not args.no_ema)
        if not hasattr(generator, 'head_size'):
            raise ValueError(f'{args.config}: padding_effect needs a PositionalStyleGAN2Generator '
                             f'or a PositionalSinGANGenerator, got {type(generator).__name__}')
        result = padding_effect(generator, args.values, args.num, args.size, args.seed,
                                add_noise=not args.no_noise)
        nrow = 1 + len(args.values)
    path = save_image_grid(result['images'], osp.join(args.out, 'padding_effect.png'), nrow=nrow)
    summary = dict(config=args.config, checkpoint=args.checkpoint, **structure(generator),
                   noise=bool(result['add_noise']), values=list(args.values),
                   max_deviation_from_spatial_mean=result['spread'].amax(0).tolist(),
                   max_relative_deviation=result['relative_spread'].amax(0).tolist(),
                   image=path)
    with open(osp.join(args.out, 'padding_effect.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    return summary


def main(argv=None):
    summary = run(parse_args(argv))
    print(f'{summary["image"]}  (padding {summary["padding"]}'
          + (f', RGB skip {summary["skip_upsample"]}' if 'skip_upsample' in summary else '')
          + f', noise {"on" if summary["noise"] else "off"}; max deviation from the spatial '
          'mean per value: ' + ', '.join(
              f'{v:g}: {s:.2e}' for v, s in zip(summary['values'],
                                                summary['max_deviation_from_spatial_mean']))
          + ')')


if __name__ == '__main__':
    run_cli(main)
