"""Keep the best checkpoint within image budgets (paper Tab. 2 and Tab. 5 protocol).

Tab. 2: "The FID are reported on two best snapshots before the discriminator
has been shown with 10M and 20M images, respectively.  The precision and
recall are reported on the training snapshot with best FID."  mmengine's
``CheckpointHook(save_best=...)`` keeps one best over the whole run; this hook
keeps one per budget and records the other metrics of that snapshot.
"""
import json
import os.path as osp
import re
from typing import Dict, Optional, Sequence

from mmengine.dist import get_world_size, is_main_process
from mmengine.hooks import Hook

from mmposgan.registry import HOOKS
from mmposgan.utils.cache import atomic_open

FID_KEY = re.compile(r'@(\d+)(?:x(\d+))?/fid$')


def largest_scale_fid(metrics: Dict[str, float]) -> str:
    """The key of the FID at the largest scale, e.g. ``'FID50k@512/fid'``.

    Raises:
        ValueError: no key of the form ``'<name>@<scale>/fid'``.
    """
    found = [(int(m.group(1)) * int(m.group(2) or m.group(1)), key)
             for key in metrics for m in [FID_KEY.search(key)] if m]
    if not found:
        raise ValueError('BestSnapshotHook(metric=None) needs an FID at some scale among the '
                         f'validation results (keys "<name>@<scale>/fid"), got {sorted(metrics)}')
    return max(found)[1]


def images_per_iteration(runner) -> int:
    """Images the discriminator sees per iteration: batch size x world size."""
    loader = runner.train_dataloader
    batch = getattr(loader, 'batch_size', None) or getattr(loader.batch_sampler, 'batch_size')
    return int(batch) * get_world_size()


@HOOKS.register_module()
class BestSnapshotHook(Hook):
    """After each validation, keep the best checkpoint seen within each image budget.

    A snapshot taken after ``runner.iter`` iterations has shown
    ``runner.iter * images_per_iter`` real images; it competes for every
    budget it is within.  For each budget the best checkpoint (weights and
    EMA, no optimizer) is saved as
    ``best_<metric>_<budget>.pth`` (e.g. ``best_FID50k@512_fid_10M.pth``) in
    the work dir, replacing the previous best, and ``best_snapshots.json``
    records per budget the iteration, images, value and *all* validation
    results of that snapshot (the paper reports precision and recall of the
    best-FID snapshot).  The state is kept in checkpoints, so a resumed run
    continues the same competition.

    Args:
        metric (str | None): Validation result to rank by; None: the FID at
            the largest scale (``'<name>@<largest scale>/fid'``).
        rule (str): ``'less'`` (FID) or ``'greater'``.
        budgets (list[int]): Image budgets (Tab. 2/5: 10M and 20M images).
        images_per_iter (int | None): Global batch size; None: the training
            dataloader's batch size times the world size.
    """

    priority = 'LOW'

    def __init__(self, metric: Optional[str] = None, rule: str = 'less',
                 budgets: Sequence[int] = (10_000_000, 20_000_000),
                 images_per_iter: Optional[int] = None):
        if rule not in ('less', 'greater'):
            raise ValueError(f"BestSnapshotHook: rule must be 'less' or 'greater', got {rule!r}")
        budgets = sorted(int(b) for b in budgets)
        if not budgets or budgets[0] <= 0:
            raise ValueError(f'BestSnapshotHook: budgets must be positive, got {budgets}')
        self.metric, self.rule, self.budgets = metric, rule, budgets
        self.images_per_iter = images_per_iter
        self.best: Dict[str, dict] = {}  # budget name -> record
        self.history = []  # (iteration, images, value) of every validation

    @staticmethod
    def budget_name(budget: int) -> str:
        """``10000000`` -> ``'10M'``, ``2500`` -> ``'2.5k'``, ``7`` -> ``'7'``."""
        for unit, size in (('M', 10**6), ('k', 10**3)):
            if budget >= size:
                return f'{budget / size:g}{unit}'
        return str(budget)

    def _better(self, value: float, best: Optional[dict]) -> bool:
        if best is None:
            return True
        return value < best['value'] if self.rule == 'less' else value > best['value']

    def after_val_epoch(self, runner, metrics: Optional[Dict[str, float]] = None) -> None:
        if not metrics or runner.train_loop is None or not hasattr(runner.train_loop, 'iter'):
            return  # a validation outside training
        key = self.metric or largest_scale_fid(metrics)
        if key not in metrics:
            raise ValueError(f'BestSnapshotHook: metric {key!r} is not among the validation '
                             f'results {sorted(metrics)}')
        per_iter = self.images_per_iter or images_per_iteration(runner)
        images = runner.iter * per_iter
        value = float(metrics[key])
        self.history.append(dict(iter=runner.iter, images=images, value=value))
        record = dict(metric=key, iter=runner.iter, images=images, value=value,
                      metrics={k: float(v) for k, v in metrics.items()
                               if isinstance(v, (int, float))})
        for budget in self.budgets:
            name = self.budget_name(budget)
            if images > budget or not self._better(value, self.best.get(name)):
                continue
            filename = f'best_{key.replace("/", "_")}_{name}.pth'
            # meta: the iterations done (mmengine's default, iter + 1, assumes a save
            # before the iteration counter moves; validation runs after it moved)
            runner.save_checkpoint(runner.work_dir, filename, save_optimizer=False,
                                   save_param_scheduler=False, by_epoch=False,
                                   meta=dict(iter=runner.iter, epoch=runner.epoch))
            self.best[name] = dict(record, checkpoint=filename, budget=budget)
            runner.logger.info(f'best {key} within {name} images: {value:.4g} at iteration '
                               f'{runner.iter} ({images} images) -> {filename}')
        self._write(runner)

    def _write(self, runner) -> None:
        if not is_main_process():
            return
        path = osp.join(runner.work_dir, 'best_snapshots.json')
        with atomic_open(path, 'w') as f:
            json.dump(dict(rule=self.rule, budgets=self.budgets, best=self.best,
                           history=self.history), f, indent=1)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint.setdefault('meta', {})['best_snapshots'] = dict(best=self.best,
                                                                   history=self.history)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        saved = checkpoint.get('meta', {}).get('best_snapshots')
        if saved:
            self.best, self.history = dict(saved['best']), list(saved['history'])
