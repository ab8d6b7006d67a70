"""What the scripts of tools/ share: their common arguments, config handling, Runner
construction and the one-line error report (:func:`run_cli`)."""
import os
import os.path as osp
import re
import sys
import traceback

import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.registry import RUNNERS
from mmengine.runner import Runner


def add_common_args(parser):
    """Arguments every Runner tool takes: overrides, launcher and local rank."""
    from mmengine.config import DictAction
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='override config settings, key=value (e.g. train_cfg.max_iters=10)')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser


def add_model_args(parser, model: bool = True, seed=None, device: str = 'cpu'):
    """The preamble of the tools that load one model: ``CONFIG [CHECKPOINT] --out DIR
    [--seed N] [--device D]``.

    Args:
        parser (argparse.ArgumentParser): Gets the arguments.
        model (bool): Add ``config`` and the optional ``checkpoint`` (random
            weights without one); ``False``: only ``--out`` and ``--device``
            (and ``--seed``).
        seed (int | None): Default of ``--seed``; None: no ``--seed``.
        device (str): Default of ``--device``.
    """
    if model:
        parser.add_argument('config')
        parser.add_argument('checkpoint', nargs='?',
                            help='checkpoint path or URL (default: random weights)')
    parser.add_argument('--out', required=True, help='output folder')
    if seed is not None:
        parser.add_argument('--seed', type=int, default=seed)
    parser.add_argument('--device', default=device)
    return parser


def parse_args_with_rank(parser):
    """Parse and export ``LOCAL_RANK`` for launchers that pass ``--local-rank``."""
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def add_load_args(parser):
    """``--partial-load``: what tools that load a checkpoint take."""
    parser.add_argument('--partial-load', action='store_true',
                        help='load the part of the checkpoint that fits the model and log the '
                        'rest, instead of stopping when weights are missing, unexpected, of '
                        'another shape or from a release of another structure')
    return parser


def set_load_checks(cfg: Config, partial: bool = False, fresh_start: bool = False):
    """Options of the config's ``StrictLoadHook`` (added when the config lacks it)."""
    hooks = cfg.setdefault('default_hooks', {})
    hook = hooks.get('strict_load') or dict(type='mmposgan.StrictLoadHook')
    hook.update(partial=partial, fresh_start=fresh_start)
    hooks['strict_load'] = hook


def parse_cfg(config: str, work_dir=None, cfg_options=None, launcher='none') -> Config:
    """Load ``config``, apply command-line overrides and pick the work dir."""
    if not osp.isfile(config):
        raise FileNotFoundError(f'config file not found: {config}')
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    cfg.launcher = launcher
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(config))[0])
    cfg.setdefault('default_scope', 'mmposgan')
    return cfg


def init_cpu_process_group(cfg: Config):
    """Start a gloo process group when launched distributed without GPUs.

    mmengine's ``pytorch`` launcher calls ``torch.cuda.set_device``; starting
    the group first makes the Runner skip it.  DDP then needs
    ``device_ids=None``.
    """
    if cfg.launcher == 'none' or torch.cuda.is_available() or dist.is_initialized():
        return
    if cfg.launcher != 'pytorch':
        raise RuntimeError(f'launcher {cfg.launcher!r} needs GPUs; on CPU use tools/dist_train.sh '
                           '(torchrun, launcher pytorch)')
    dist.init_process_group(backend='gloo')
    wrapper = cfg.get('model_wrapper_cfg') or dict(type='MMDistributedDataParallel')
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'


def build_runner(cfg: Config) -> Runner:
    """Build the Runner named by the config (or mmengine's default)."""
    init_cpu_process_group(cfg)
    if 'runner_type' not in cfg:
        return Runner.from_cfg(cfg)
    return RUNNERS.build(cfg)


_WORKER_ERROR = re.compile(r'^Caught (\w+) (in DataLoader worker process \d+)\.\nOriginal '
                           r'Traceback \(most recent call last\):\n', re.S)
_FRAME = re.compile(r'^  File "(.+)", line (\d+), in (.+)$')


def _short_path(path: str) -> str:
    """``path`` relative to the working directory, or from its package folder on."""
    rel = osp.relpath(path)
    if not rel.startswith('..'):
        return rel
    marker = 'site-packages' + os.sep
    return path.split(marker, 1)[1] if marker in path else path


def describe_error(err: BaseException) -> str:
    """One line: ``Type: message (where)`` for an exception a tool stops on.

    ``where`` is the file and line that raised it.  An exception re-raised
    by a DataLoader from a worker process (torch puts the worker's whole
    traceback into the message) is described by the worker's last frame and
    exception line, with the worker named.
    """
    text = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
    match = _WORKER_ERROR.match(text)
    if match:
        lines = text[match.end():].rstrip('\n').splitlines()
        frames = [i for i, line in enumerate(lines) if _FRAME.match(line)]
        where = ''
        if frames:
            path, line, func = _FRAME.match(lines[frames[-1]]).groups()
            where = f'{_short_path(path)}:{line} in {func}, '
        message = ' '.join(line.strip() for line in lines[(frames[-1] + 1 if frames else 0):]
                           if line and not line.startswith('    '))
        message = re.sub(r'^(?:\w+\.)+(\w+: )', r'\1', message)  # pkg.mod.Error: -> Error:
        return f'{message} ({where}{match.group(2)})'
    if isinstance(err, KeyError):
        text = repr(err.args[0]) if err.args and not isinstance(err.args[0], str) else text
    where = ''
    frames = traceback.extract_tb(err.__traceback__)
    if frames:
        where = f' ({_short_path(frames[-1].filename)}:{frames[-1].lineno} in {frames[-1].name})'
    return f'{type(err).__name__}: {" ".join(text.split())}{where}'


def run_cli(main):
    """Run a tool's ``main``; expected user errors print one line, not a traceback.

    Expected errors: missing files, bad values or registry names, and
    checkpoints that cannot be downloaded or fail verification, also when
    raised in a DataLoader worker process.  The line names the exception
    type, its message and the file and line that raised it
    (:func:`describe_error`).

    Set ``MMPOSGAN_DEBUG=1`` to see the full traceback.
    """
    from .download import CheckpointDownloadError
    try:
        main()
    except (FileNotFoundError, ValueError, KeyError, CheckpointDownloadError) as err:
        if os.environ.get('MMPOSGAN_DEBUG'):
            raise
        sys.exit(f'error: {describe_error(err)}')
