"""Train and evaluate a config over several training seeds; write a mean ± std table.

    python tools/experiments/multi_seed.py CONFIG --out DIR --seeds 0 1 2 3 4
        [--iters N] [--skip-done] [--cfg-options key=value ...]

Each seed trains the config from scratch through mmengine's Runner
(``randomness.seed`` = the seed: it fixes the initial weights, the data order
and the noise) in ``DIR/seed<k>``, then evaluates the trained model with the
config's test loop (``test_evaluator``).  Writes ``DIR/results.json`` (every
run's metrics and, per metric, mean, sample standard deviation and the
per-seed values) and ``DIR/results.md`` (the same as a table).  The functions
are shared with the experiments that evaluate differently
(``padding_study_digits.py``).
"""
import argparse
import json
import os
import os.path as osp
import time
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

from mmposgan.utils.cache import atomic_open
from mmposgan.utils.launch import run_cli


def parse_options(options: Sequence[str]) -> dict:
    """``['a.b=1', ...]`` -> dict with literal values (as mmengine's DictAction)."""
    from mmengine.config import DictAction
    action = DictAction(option_strings=[], dest='x')
    ns = argparse.Namespace()
    action(None, ns, list(options))
    return getattr(ns, 'x', {}) or {}


def train_run(config: str, work_dir: str, seed: int, iters: Optional[int] = None,
              options: Sequence[str] = (), name: Optional[str] = None) -> dict:
    """Train ``config`` with ``seed`` in ``work_dir``.

    Returns:
        dict: ``runner`` (trained), ``iters``, ``train_time_s``.
    """
    from mmengine.config import Config
    from mmengine.runner import Runner
    cfg = Config.fromfile(config)
    cfg.work_dir = work_dir
    cfg.experiment_name = name or f'{osp.splitext(osp.basename(config))[0]}_seed{seed}'
    cfg.randomness = dict(seed=seed, deterministic=False)
    if iters is not None:
        cfg.train_cfg.max_iters = iters
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=cfg.train_cfg.max_iters,
                                        by_epoch=False, max_keep_ckpts=1, save_last=True)
    cfg.merge_from_dict(parse_options(options))
    runner = Runner.from_cfg(cfg)
    start = time.time()
    runner.train()
    return dict(runner=runner, iters=cfg.train_cfg.max_iters, train_time_s=time.time() - start)


def test_metrics(runner) -> Dict[str, float]:
    """Run the runner's test loop and return its metrics (mmagic's loops return None)."""
    from mmengine.hooks import Hook

    class Capture(Hook):
        metrics: Dict[str, float] = {}

        def after_test_epoch(self, runner, metrics=None):
            Capture.metrics = dict(metrics or {})

    runner.register_hook(Capture(), priority='LOWEST')
    runner.test()
    return {k: float(v) for k, v in Capture.metrics.items() if isinstance(v, (int, float))}


def summarize(values: List[Dict[str, float]]) -> Dict[str, dict]:
    """Per key: ``mean``, ``std`` (sample, ``ddof=1``; 0 for one value) and ``values``."""
    keys = list(values[0]) if values else []
    out = {}
    for key in keys:
        column = [float(v[key]) for v in values]
        out[key] = dict(mean=float(np.mean(column)),
                        std=float(np.std(column, ddof=1)) if len(column) > 1 else 0.0,
                        values=column)
    return out


def markdown_table(summaries: Dict[str, Dict[str, dict]], keys: Sequence[str],
                   per_seed: Optional[str] = None, seeds: Sequence[int] = (),
                   digits: int = 2) -> str:
    """One row per setting: ``mean ± std`` per key, and the per-seed values of ``per_seed``."""
    header = ['setting'] + list(keys)
    if per_seed:
        header.append(f'{per_seed} per seed ({", ".join(map(str, seeds))})')
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    for setting, summary in summaries.items():
        cells = [setting] + [f'{summary[k]["mean"]:.{digits}f} ± {summary[k]["std"]:.{digits}f}'
                             for k in keys]
        if per_seed:
            cells.append(', '.join(f'{v:.{digits}f}' for v in summary[per_seed]['values']))
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def write_json(path: str, data: dict) -> None:
    """Write ``data`` atomically (:func:`~mmposgan.utils.cache.atomic_open`)."""
    with atomic_open(path, 'w') as f:
        json.dump(data, f, indent=2)


def run_seeds(config: str, seeds: Sequence[int], out: str, iters: Optional[int] = None,
              options: Sequence[str] = (), skip_done: bool = False,
              evaluate: Callable = None) -> dict:
    """Train and evaluate ``config`` once per seed; write ``results.json`` / ``results.md``.

    Args:
        evaluate (callable | None): ``(runner, seed) -> {metric: value}``;
            default: the config's test loop (:func:`test_metrics`).
    """
    evaluate = evaluate or (lambda runner, seed: test_metrics(runner))
    os.makedirs(out, exist_ok=True)
    json_path = osp.join(out, 'results.json')
    done = {}
    if skip_done and osp.exists(json_path):
        with open(json_path) as f:
            done = {(r['seed'], r['iters']): r for r in json.load(f)['runs']}
    runs = []
    for seed in seeds:
        if (seed, iters) in done:
            runs.append(done[(seed, iters)])
            continue
        trained = train_run(config, osp.join(out, f'seed{seed}'), seed, iters, options)
        runs.append(dict(seed=seed, iters=iters, trained_iters=trained['iters'],
                         train_time_s=round(trained['train_time_s'], 1),
                         metrics=evaluate(trained['runner'], seed)))
        write_json(json_path, dict(config=config, seeds=list(seeds), runs=runs,
                                   summary=summarize([r['metrics'] for r in runs])))
    summary = summarize([r['metrics'] for r in runs])
    result = dict(config=config, seeds=list(seeds), runs=runs, summary=summary)
    write_json(json_path, result)
    name = osp.splitext(osp.basename(config))[0]
    with open(osp.join(out, 'results.md'), 'w') as f:
        f.write(markdown_table({name: summary}, list(summary), seeds=seeds))
    return result


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--out', required=True)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2, 3, 4])
    parser.add_argument('--iters', type=int, help="training iterations (default: the config's)")
    parser.add_argument('--skip-done', action='store_true',
                        help='keep the runs of OUT/results.json with the same seed and iterations')
    parser.add_argument('--cfg-options', nargs='*', default=[])
    args = parser.parse_args(argv)
    if len(set(args.seeds)) != len(args.seeds):
        parser.error(f'--seeds must be distinct, got {args.seeds}')
    return args


def main(argv=None):
    args = parse_args(argv)
    result = run_seeds(args.config, args.seeds, args.out, args.iters, args.cfg_options,
                       args.skip_done)
    print(open(osp.join(args.out, 'results.md')).read())
    return result


if __name__ == '__main__':
    run_cli(main)
