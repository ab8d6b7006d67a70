"""Padding study on a 2-core CPU: DCGAN zero-pad vs padding-free vs padding-free + SPE.

A scaled-down version of the paper's Tab. 4 (§4.2, App. C.1) on real images
(scikit-learn's bundled digits at 32 px).  Each setting is trained through
mmengine's Runner from its config in ``configs/padding_study/`` with the
same budget and the same seeds; the trained generator then samples
``--num-samples`` images whose multi-level SWD (x10^3, Laplacian levels
32/16 and their average) against the real digits is measured.  Writes
``results.json`` (every run and the mean/std per setting and level) and a
sample grid per setting and seed.

Example::

    nice -n 10 python tools/experiments/padding_study_digits.py \
        --out work_dirs/padding_study_digits --seeds 0 1 2
"""
import argparse
import json
import os
import os.path as osp
import time

import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from PIL import Image

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG_DIR = osp.join(REPO, 'configs', 'padding_study')
SETTINGS = {  # Tab. 4 (a), (b), (c)
    'zero-pad': 'dcgan-wgangp_zero-pad_1xb32-1kiters_digits-32.py',
    'interp-pad': 'dcgan-wgangp_interp-pad_1xb32-1kiters_digits-32.py',
    'interp-pad-spe': 'dcgan-wgangp_interp-pad-spe_1xb32-1kiters_digits-32.py',
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--iters', type=int, default=None,
                        help='training iterations (default: the configs\' max_iters)')
    parser.add_argument('--settings', nargs='+', default=list(SETTINGS), choices=list(SETTINGS))
    parser.add_argument('--num-samples', type=int, default=512,
                        help='generated images for SWD, compared with as many real digits '
                        '(a fixed random subset); at most half the 1797 digits so that the '
                        'real-vs-real noise floor uses two disjoint subsets of this size')
    parser.add_argument('--swd-seed', type=int, default=0,
                        help='seed of the SWD patches/directions')
    parser.add_argument('--threads', type=int, default=1, help='torch CPU threads')
    parser.add_argument('--skip-done', action='store_true',
                        help='resume an interrupted experiment: keep the runs of '
                        '--out/results.json with the same setting, seed, iterations and sample count, train the rest')
    parser.add_argument('--cfg-options', nargs='*', default=[],
                        help='extra key=value config overrides (e.g. for tiny test runs)')
    args = parser.parse_args(argv)
    if len(set(args.seeds)) != len(args.seeds):
        parser.error(f'--seeds must be distinct, got {args.seeds}')
    return args


def real_digits() -> torch.Tensor:
    """All real digits at 32 px as ``(N, 3, 32, 32)`` in [-1, 1] (the training set)."""
    from mmposgan.datasets import load_digit_images
    images = torch.from_numpy(load_digit_images(32)).permute(0, 3, 1, 2).float()
    return images / 127.5 - 1


def save_grid(images: torch.Tensor, path: str, nrow: int = 8):
    """Save ``(N, 3, H, W)`` images in [-1, 1] as an ``nrow``-column PNG grid."""
    n, c, h, w = images.shape
    ncol = (n + nrow - 1) // nrow
    grid = torch.ones(c, ncol * (h + 2) + 2, nrow * (w + 2) + 2)
    for i, img in enumerate(images):
        r, q = divmod(i, nrow)
        grid[:, 2 + r * (h + 2):2 + r * (h + 2) + h, 2 + q * (w + 2):2 + q * (w + 2) + w] = img
    arr = ((grid.clamp(-1, 1) + 1) * 127.5).round().byte().permute(1, 2, 0).numpy()
    Image.fromarray(arr).save(path)


def parse_options(options):
    """``['a.b=1', ...]`` -> dict with literal values (as mmengine's DictAction)."""
    from mmengine.config import DictAction
    action = DictAction(option_strings=[], dest='x')
    ns = argparse.Namespace()
    action(None, ns, options)
    return getattr(ns, 'x', {}) or {}


def train_one(setting: str, seed: int, args) -> dict:
    cfg = Config.fromfile(osp.join(CONFIG_DIR, SETTINGS[setting]))
    run_dir = osp.join(args.out, setting, f'seed{seed}')
    cfg.work_dir = run_dir
    cfg.experiment_name = f'{setting}_seed{seed}'
    cfg.randomness = dict(seed=seed, deterministic=False)
    if args.iters is not None:
        cfg.train_cfg.max_iters = args.iters
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=cfg.train_cfg.max_iters,
                                        by_epoch=False, max_keep_ckpts=1, save_last=True)
    cfg.merge_from_dict(parse_options(args.cfg_options))
    runner = Runner.from_cfg(cfg)
    start = time.time()
    runner.train()
    train_time = time.time() - start
    return dict(runner=runner, run_dir=run_dir, train_time_s=train_time,
                iters=cfg.train_cfg.max_iters)


@torch.no_grad()
def sample(generator, num: int, seed: int, batch: int = 256) -> torch.Tensor:
    """``num`` images in [-1, 1] from fixed noise (eval mode: BN running statistics)."""
    generator.eval()
    rng = torch.Generator().manual_seed(10_000 + seed)
    noise = torch.randn(num, generator.noise_size, generator=rng)
    return torch.cat([generator(noise[i:i + batch]) for i in range(0, num, batch)]).clamp(-1, 1)


def summarize(runs):
    summary = {}
    for setting in dict.fromkeys(r['setting'] for r in runs):
        values = [r['swd'] for r in runs if r['setting'] == setting]
        summary[setting] = {
            key: dict(mean=float(np.mean([v[key] for v in values])),
                      std=float(np.std([v[key] for v in values], ddof=1))
                      if len(values) > 1 else 0.0,
                      values=[v[key] for v in values])
            for key in values[0]
        }
    return summary


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    import mmposgan.datasets  # noqa: F401  (registers the modules)
    import mmposgan.models  # noqa: F401
    from mmposgan.evaluation.functional.swd import multi_level_swd

    os.makedirs(args.out, exist_ok=True)
    digits = real_digits()
    num = args.num_samples
    if not 1 <= num <= len(digits) // 2:
        raise ValueError(f'--num-samples must be in 1..{len(digits) // 2}, got {num}')
    # equal-size sets (sorting N * 128 projections per level is the cost of SWD);
    # the noise floor is the SWD between two disjoint real subsets of the same size
    perm = torch.randperm(len(digits), generator=torch.Generator().manual_seed(args.swd_seed))
    real, other_real = digits[perm[:num]], digits[perm[num:2 * num]]
    real_vs_real = multi_level_swd(real, other_real, seed=args.swd_seed)
    print(f'[padding_study_digits] real vs real ({num} vs {num}): SWD x1e3 {real_vs_real}',
          flush=True)
    save_grid(digits[:64], osp.join(args.out, 'real.png'))

    runs, done = [], {}
    json_path = osp.join(args.out, 'results.json')
    if args.skip_done and osp.exists(json_path):
        with open(json_path) as f:
            saved = json.load(f)
        if saved['args']['swd_seed'] == args.swd_seed:
            done = {(r['setting'], r['seed'], r['iters'], r['num_fake']): r for r in saved['runs']}

    def write():
        result = dict(args=vars(args), num_real=num, real_vs_real=real_vs_real, runs=runs,
                      summary=summarize(runs))
        with open(json_path, 'w') as f:
            json.dump(result, f, indent=2)
        return result

    for setting in args.settings:
        for seed in args.seeds:
            config = osp.join(CONFIG_DIR, SETTINGS[setting])
            iters = args.iters or Config.fromfile(config).train_cfg.max_iters
            if (setting, seed, iters, num) in done:
                runs.append(done[(setting, seed, iters, num)])
                print(f'[padding_study_digits] {setting} seed {seed}: kept from {json_path}')
                continue
            out = train_one(setting, seed, args)
            generator = out['runner'].model.generator
            fake = sample(generator, num, seed)
            swd = multi_level_swd(real, fake, seed=args.swd_seed)
            save_grid(fake[:64], osp.join(out['run_dir'], 'samples.png'))
            runs.append(dict(setting=setting, seed=seed, config=SETTINGS[setting],
                             iters=out['iters'], train_time_s=round(out['train_time_s'], 1),
                             num_fake=num, swd=swd))
            print(f'[padding_study_digits] {setting} seed {seed}: SWD x1e3 {swd} '
                  f'({out["train_time_s"]:.0f} s)', flush=True)
            write()
    result = write()
    for setting, levels in summarize(runs).items():
        print(setting, {k: f'{v["mean"]:.2f} +- {v["std"]:.2f}' for k, v in levels.items()})
    return result


if __name__ == '__main__':
    main()
