"""The non-parameter state of a SinGAN, kept inside its checkpoint."""
from typing import List

import torch
import torch.nn as nn
from torch import Tensor


class SinGANState(nn.Module):
    """Buffers holding what SinGAN needs besides weights to sample again.

    ``fixed_noises`` (one reconstruction noise per stage; their sizes are the
    training sizes), ``noise_weights`` (``sigma_n``) and ``curr_stage``.
    They travel in the model's ``state_dict`` as plain tensors, so a
    checkpoint alone can be sampled and loads with
    ``torch.load(weights_only=True)`` (mmagic's side pickle:
    ``docs/differences_from_mmagic.md``).  Their number and shapes
    are only known once training has seen the image, so loading re-creates
    the buffers from whatever the checkpoint holds.
    """

    def __init__(self):
        super().__init__()
        self.register_buffer('curr_stage_', torch.tensor(-1, dtype=torch.long))
        self.register_buffer('noise_weights_', torch.ones(1, dtype=torch.float64))
        self.num_noises = 0

    @property
    def fixed_noises(self) -> List[Tensor]:
        return [getattr(self, f'fixed_noise_{i}') for i in range(self.num_noises)]

    @fixed_noises.setter
    def fixed_noises(self, noises):
        for i in range(self.num_noises):
            delattr(self, f'fixed_noise_{i}')
        for i, noise in enumerate(noises):
            self.register_buffer(f'fixed_noise_{i}', noise.detach().clone())
        self.num_noises = len(noises)

    @property
    def noise_weights(self) -> List[float]:
        return [float(w) for w in self.noise_weights_]

    @noise_weights.setter
    def noise_weights(self, weights):
        self.noise_weights_ = torch.tensor([float(w) for w in weights], dtype=torch.float64,
                                           device=self.noise_weights_.device)

    @property
    def curr_stage(self) -> int:
        return int(self.curr_stage_)

    @curr_stage.setter
    def curr_stage(self, stage: int):
        self.curr_stage_.fill_(int(stage))

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        noises, i = [], 0
        while f'{prefix}fixed_noise_{i}' in state_dict:
            noises.append(state_dict[f'{prefix}fixed_noise_{i}'])
            i += 1
        self.fixed_noises = noises
        key = f'{prefix}noise_weights_'
        if key in state_dict:
            self.noise_weights_ = state_dict[key].detach().clone().to(torch.float64)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)
