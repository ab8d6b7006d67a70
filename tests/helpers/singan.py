"""A PE-SinGAN checkpoint that samples without training: random weights, a finished pyramid."""
import torch

from mmposgan.apis import init_model

#: Stage sizes of exact 2x steps (a stage's columns all alike, so a seam statistic is fair).
SIZES = [(8, 12), (16, 24), (32, 48), (64, 96)]


def save_ready_singan(config: str, path: str, sizes=SIZES, gain: float = 3.0, seed: int = 0):
    """Save the config's PE-SinGAN (``num_scales + 1 == len(sizes)``) with random weights,
    conv kernels ``gain`` times larger (samples span the colour range), fixed noises for
    ``sizes`` and every stage finished; returns ``path``."""
    torch.manual_seed(seed)
    model = init_model(config)
    model.fixed_noises = model.gen.make_fixed_noises(
        sizes, generator=torch.Generator().manual_seed(seed))
    model.noise_weights = [1.0] * len(sizes)
    model.curr_stage = model.num_scales
    with torch.no_grad():
        for param in model.gen.parameters():
            if param.dim() == 4:  # conv kernels
                param.mul_(gain)
    torch.save(dict(meta=dict(iter=0), state_dict=model.state_dict()), path)
    return path
