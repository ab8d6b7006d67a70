"""Config handling and Runner construction shared by tools/train.py and tools/test.py."""
import os
import os.path as osp
import sys

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


def parse_args_with_rank(parser):
    """Parse and export ``LOCAL_RANK`` for launchers that pass ``--local-rank``."""
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


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


def run_cli(main):
    """Run a tool's ``main``; expected user errors print one line, not a traceback.

    Expected errors: missing files, bad values or registry names, and
    checkpoints that cannot be downloaded or fail verification.

    Set ``MMPOSGAN_DEBUG=1`` to see the full traceback.
    """
    from .download import CheckpointDownloadError
    try:
        main()
    except (FileNotFoundError, ValueError, KeyError, CheckpointDownloadError) as err:
        if os.environ.get('MMPOSGAN_DEBUG'):
            raise
        msg = err.args[0] if isinstance(err, KeyError) and err.args else err
        sys.exit(f'error: {msg}')
