"""Train a model with mmengine's Runner.

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT] [--allow-fresh-start]]
        [--partial-load] [--amp] [--cfg-options k=v ...] [--launcher {none,pytorch,slurm,mpi}]

``--resume`` without a path continues from the work dir's latest checkpoint and
stops with an error when there is none (``--allow-fresh-start``: train from
scratch then).  Checkpoints (``--resume``, ``load_from``) must fit the model;
``--partial-load`` loads the part that fits.

Multi-process: ``bash tools/dist_train.sh CONFIG NUM_GPUS`` (torchrun).  On a
machine without GPUs the process group is started with gloo before the
Runner is built, and DDP wraps the model without device ids.
"""
import argparse

import mmposgan  # noqa: F401  (safe checkpoint loading)
from mmposgan.utils.launch import (add_common_args, add_load_args, build_runner,
                                   parse_args_with_rank, parse_cfg, run_cli, set_load_checks)


def parse_args():
    parser = argparse.ArgumentParser(description='Train a mmposgan model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--resume', nargs='?', type=str, const='auto',
                        help='resume from the given checkpoint, or from the latest one in the '
                        'work dir when no path is given (an error if there is none)')
    parser.add_argument('--allow-fresh-start', action='store_true',
                        help='with --resume: train from scratch when the work dir holds no '
                        'checkpoint, instead of stopping')
    parser.add_argument('--amp', action='store_true',
                        help='bfloat16 automatic mixed precision (AmpOptimWrapper; GPUs only)')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the learning rate with the total batch size')
    return parse_args_with_rank(add_load_args(add_common_args(parser)))


def use_amp(cfg):
    """``--amp``: every optimizer wrapper becomes mmengine's ``AmpOptimWrapper`` with
    bfloat16 autocast (``dtype`` the config sets, else ``'bfloat16'``).

    bfloat16 keeps float32's exponent range, so R1 and path-length gradients,
    taken without loss scaling, do not underflow (MultiScaleStyleGAN2 refuses
    float16 autocast).
    """
    optim = cfg.optim_wrapper
    wrappers = [optim] if 'type' in optim or 'optimizer' in optim else list(optim.values())
    for wrapper in wrappers:
        if isinstance(wrapper, dict):
            wrapper['type'] = 'AmpOptimWrapper'
            wrapper.setdefault('loss_scale', 'dynamic')
            wrapper.setdefault('dtype', 'bfloat16')


def main():
    args = parse_args()
    cfg = parse_cfg(args.config, args.work_dir, args.cfg_options, args.launcher)
    if args.amp:
        import torch
        if not torch.cuda.is_available():
            raise ValueError('--amp needs a GPU (mmengine\'s AmpOptimWrapper); on a CPU, '
                             'train in float32 without --amp')
        use_amp(cfg)
    if args.allow_fresh_start and args.resume is None:
        raise ValueError('--allow-fresh-start only applies with --resume')
    set_load_checks(cfg, partial=args.partial_load, fresh_start=args.allow_fresh_start)
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        cfg.resume, cfg.load_from = True, args.resume
    if args.auto_scale_lr:
        cfg.setdefault('auto_scale_lr', {})['enable'] = True
    runner = build_runner(cfg)
    runner.train()


if __name__ == '__main__':
    run_cli(main)
