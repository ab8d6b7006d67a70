"""Evaluate a model with mmengine's Runner (its ``test_dataloader`` and metrics).

    python tools/test.py CONFIG CHECKPOINT_OR_URL [--work-dir DIR] [--cfg-options k=v ...]
        [--partial-load] [--launcher {none,pytorch,slurm,mpi}]

A URL is downloaded into the checkpoint cache first (``$MMPOSGAN_CACHE_DIR``,
default ``~/.cache/mmposgan/checkpoints``), verified (length, the sha256
prefix in OpenMMLab file names, safe loading) before the Runner is built, and
converted from the released mmagic layout when needed; see docs/checkpoints.md.
A checkpoint that does not fit the config's model (missing, unexpected or
differently shaped weights, a converted release of another structure) stops
the evaluation with one line; ``--partial-load`` evaluates the part that fits.

SinGAN configs define no test loop (a single-image model has no test set):
use tools/sample.py for them.
"""
import argparse
import sys

import mmposgan  # noqa: F401
from mmposgan.utils.download import download_checkpoint, is_url
from mmposgan.utils.launch import (add_common_args, add_load_args, build_runner,
                                   parse_args_with_rank, parse_cfg, run_cli, set_load_checks)


def parse_args():
    parser = argparse.ArgumentParser(description='Test (evaluate) a mmposgan model')
    parser.add_argument('config')
    parser.add_argument('checkpoint', help='checkpoint path or URL')
    return parse_args_with_rank(add_load_args(add_common_args(parser)))


def main():
    args = parse_args()
    cfg = parse_cfg(args.config, args.work_dir, args.cfg_options, args.launcher)
    if cfg.get('test_cfg') is None or cfg.get('test_dataloader') is None:
        sys.exit(f'{args.config} defines no test loop (test_cfg / test_dataloader); for SinGAN '
                 'use tools/sample.py CONFIG CHECKPOINT --out DIR')
    if is_url(args.checkpoint):  # fail before building datasets and metrics
        download_checkpoint(args.checkpoint)
    cfg.load_from = args.checkpoint
    set_load_checks(cfg, partial=args.partial_load)
    runner = build_runner(cfg)
    runner.test()


if __name__ == '__main__':
    run_cli(main)
