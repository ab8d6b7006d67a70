"""Test-only hook: each rank writes the scales it trained at and its final weights."""
import json
import os.path as osp

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmposgan.registry import HOOKS


@HOOKS.register_module()
class DistProbeHook(Hook):

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.sizes = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.sizes.append(int(data_batch['inputs'][0].shape[-1]))

    def after_run(self, runner):
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        rank = get_rank()
        state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
        torch.save(state, osp.join(self.out_dir, f'rank{rank}.pth'))
        with open(osp.join(self.out_dir, f'rank{rank}.json'), 'w') as f:
            json.dump(dict(sizes=self.sizes, world_size=runner.world_size), f)
