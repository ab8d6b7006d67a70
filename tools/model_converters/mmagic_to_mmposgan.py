"""Convert a released mmagic / MMGeneration checkpoint to mmposgan's layout.

    python tools/model_converters/mmagic_to_mmposgan.py IN.pth OUT.pth \
        [--noise FIXED_NOISE.pkl]

MS-PIE / StyleGAN2 checkpoints (paper Tab. 5) convert on their own.  PE-SinGAN
checkpoints need the fixed-noise side file released next to them (same name,
``.pkl``): ``--noise`` merges it, so the converted checkpoint samples alone.
The input is loaded with ``torch.load(weights_only=True)`` and mmposgan's
allow list; the side file with a restricted unpickler (numpy arrays only).
A checkpoint already in mmposgan's layout is copied unchanged.
"""
import argparse
import os.path as osp

import torch

from mmposgan.converters import convert_mmagic_checkpoint, detect_layout
from mmposgan.utils.cache import atomic_open
from mmposgan.utils.launch import run_cli
from mmposgan.utils.safe_load import safe_torch_load


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert an mmagic/MMGeneration MS-PIE, StyleGAN2 or PE-SinGAN checkpoint')
    parser.add_argument('src', help='mmagic checkpoint (.pth)')
    parser.add_argument('dst', help='where to write the mmposgan checkpoint')
    parser.add_argument('--noise', help='PE-SinGAN: the fixed-noise side file (.pkl)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.src):
        raise FileNotFoundError(f'checkpoint not found: {args.src}')
    if args.noise and not osp.isfile(args.noise):
        raise FileNotFoundError(f'side file not found: {args.noise}')
    checkpoint = safe_torch_load(args.src, map_location='cpu')
    layout = detect_layout(checkpoint)
    if layout == 'mmagic-singan' and not args.noise:
        raise ValueError(f'{args.src} is a PE-SinGAN checkpoint: pass its fixed-noise side file '
                         'with --noise (released next to it, same name with .pkl); without it '
                         'the model has no trained stage to sample')
    converted = convert_mmagic_checkpoint(checkpoint, singan_side_file=args.noise)
    with atomic_open(args.dst) as f:  # never a half-written checkpoint under the final name
        torch.save(converted, f)
    if layout == 'mmposgan':
        print(f'{args.src} is already an mmposgan checkpoint; copied to {args.dst}')
        return
    info = converted['meta']['mmposgan_conversion'] if 'meta' in converted else {}
    print(f'converted {layout} checkpoint ({len(converted.get("state_dict", converted))} '
          f'tensors) to {args.dst}')
    for key, value in info.items():
        if key != 'source':
            print(f'  {key}: {value}')


if __name__ == '__main__':
    run_cli(main)
