"""Train a model with mmengine's Runner.

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp]
        [--cfg-options k=v ...] [--launcher {none,pytorch,slurm,mpi}]

Multi-process: ``bash tools/dist_train.sh CONFIG NUM_GPUS`` (torchrun).  On a
machine without GPUs the process group is started with gloo before the
Runner is built, and DDP wraps the model without device ids.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import mmposgan  # noqa: E402,F401  (safe checkpoint loading)
from mmposgan.utils.launch import (add_common_args, build_runner, parse_args_with_rank,  # noqa: E402
                                   parse_cfg, run_cli)


def parse_args():
    parser = argparse.ArgumentParser(description='Train a mmposgan model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--resume', nargs='?', type=str, const='auto',
                        help='resume from the given checkpoint, or from the latest one in the '
                        'work dir when no path is given')
    parser.add_argument('--amp', action='store_true', help='enable automatic mixed precision')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the learning rate with the total batch size')
    return parse_args_with_rank(add_common_args(parser))


def main():
    args = parse_args()
    cfg = parse_cfg(args.config, args.work_dir, args.cfg_options, args.launcher)
    if args.amp:
        import torch
        if not torch.cuda.is_available():
            raise ValueError('--amp needs a GPU (mmengine\'s AmpOptimWrapper); on a CPU, '
                             'train in float32 without --amp')
        optim = cfg.optim_wrapper
        wrappers = [optim] if 'type' in optim or 'optimizer' in optim else list(optim.values())
        for wrapper in wrappers:
            if isinstance(wrapper, dict):
                wrapper['type'] = 'AmpOptimWrapper'
                wrapper.setdefault('loss_scale', 'dynamic')
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
