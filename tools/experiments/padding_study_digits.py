"""Padding study on a 2-core CPU: DCGAN zero-pad vs padding-free vs padding-free + SPE.

A scaled-down version of the paper's Tab. 4 (§4.2, App. C.1) on real images
(scikit-learn's bundled digits at 32 px).  Each setting is trained through
mmengine's Runner from its config in ``configs/padding_study/`` with the
same budget and the same seeds; the trained generator then samples
``--num-samples`` images whose multi-level SWD (x10^3, Karras's recipe: the
32 px band-pass level, the 16 px residual and their average) against the
real digits is measured.  Writes ``results.json`` (every run, the mean/std
per setting and level, and whether Tab. 4's ordering (a) < (c) < (b) holds,
in the means and per seed), ``results.md`` (the mean ± std table) and a
sample grid per setting and seed.  Training and the tables use the
multi-seed tool's functions (``multi_seed.py``).

Example::

    nice -n 10 python tools/experiments/padding_study_digits.py \
        --out work_dirs/padding_study_digits --seeds 0 1 2 3 4
"""
import argparse
import json
import os
import os.path as osp

import torch
from mmengine.config import Config
from multi_seed import markdown_table, summarize, train_run, write_json
from PIL import Image

from mmposgan.utils.launch import run_cli

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
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2, 3, 4])
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
                        '--out/results.json with the same setting, seed, iterations and sample '
                        'count, train the rest')
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


def train_one(setting: str, seed: int, args) -> dict:
    run_dir = osp.join(args.out, setting, f'seed{seed}')
    out = train_run(osp.join(CONFIG_DIR, SETTINGS[setting]), run_dir, seed, args.iters,
                    args.cfg_options, name=f'{setting}_seed{seed}')
    return dict(out, run_dir=run_dir)


@torch.no_grad()
def sample(generator, num: int, seed: int, batch: int = 256) -> torch.Tensor:
    """``num`` images in [-1, 1] from fixed noise (eval mode: BN running statistics)."""
    generator.eval()
    rng = torch.Generator().manual_seed(10_000 + seed)
    noise = torch.randn(num, generator.noise_size, generator=rng)
    return torch.cat([generator(noise[i:i + batch]) for i in range(0, num, batch)]).clamp(-1, 1)


def summarize_settings(runs):
    """Per setting, per SWD level: mean, std (ddof=1) and the per-seed values."""
    settings = [s for s in SETTINGS if any(r['setting'] == s for r in runs)]
    return {setting: summarize([r['swd'] for r in runs if r['setting'] == setting])
            for setting in settings}


ORDER = ('zero-pad', 'interp-pad-spe', 'interp-pad')  # Tab. 4: (a) < (c) < (b)


def tab4_ordering(runs) -> dict:
    """Whether SWD orders (a) zero padding < (c) padding-free + SPE < (b) padding-free.

    Per level: in the means, and in how many seeds (runs paired by seed).
    Empty unless all three settings ran.
    """
    by = {(r['setting'], r['seed']): r['swd'] for r in runs}
    seeds = sorted({seed for setting, seed in by if all((s, seed) in by for s in ORDER)})
    if not seeds:
        return {}
    summary = summarize_settings(runs)
    result = {}
    for level in by[(ORDER[0], seeds[0])]:
        means = [summary[s][level]['mean'] for s in ORDER]
        per_seed = [all(by[(ORDER[i], seed)][level] < by[(ORDER[i + 1], seed)][level]
                        for i in range(2)) for seed in seeds]
        result[level] = dict(holds_in_means=bool(means[0] < means[1] < means[2]),
                             seeds_holding=int(sum(per_seed)), seeds=seeds)
    return result


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
        summary = summarize_settings(runs)
        result = dict(args=vars(args), num_real=num, real_vs_real=real_vs_real, runs=runs,
                      summary=summary, tab4_ordering=tab4_ordering(runs))
        write_json(json_path, result)
        if summary:
            levels = list(next(iter(summary.values())))
            with open(osp.join(args.out, 'results.md'), 'w') as f:
                f.write(markdown_table(summary, levels, per_seed='avg',
                                       seeds=[r['seed'] for r in runs
                                              if r['setting'] == runs[0]['setting']]))
        return result

    # seed-major: an interrupted experiment has every setting for the seeds it finished
    for seed in args.seeds:
        for setting in args.settings:
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
    for setting, levels in result['summary'].items():
        print(setting, {k: f'{v["mean"]:.2f} +- {v["std"]:.2f}' for k, v in levels.items()})
    print('Tab. 4 ordering (a) < (c) < (b):', result['tab4_ordering'])
    return result


if __name__ == '__main__':
    run_cli(main)
