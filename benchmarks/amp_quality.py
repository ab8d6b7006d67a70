"""Low precision vs float32: losses and samples of two short MS-PIE trainings from one start.

Both runs start from the same weights and optimizer state, see the same real batches
(random crops of the shipped balloons image, upscaled 2x, with flips) and draw the same
noise sequence; only the speed setting differs (``ms_pie_train.py``'s syntax; the
reference is strict float32, TF32 off).  Writes every iteration's losses, their means
over windows, and one PNG: fixed-latent samples of the generator of each run (first
row float32, second row the setting) at the end.

    python benchmarks/amp_quality.py --device cuda --iters 300 --size 256 \\
        --setting bf16:lp=bfloat16,min=64 --json OUT.json --png OUT.png
"""
import argparse
import json
import math
import os.path as osp
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from ms_pie_train import (ROOT, Patches, add_bench_args, apply_setting, build, parse_bench_args,
                          parse_setting, sync)

REFERENCE = ('float32', dict(tf32=0))


def crop_bank(size, num, device, seed=0):
    """``num`` random ``size`` crops (0..255) of the balloons image upscaled 2x, half flipped."""
    from PIL import Image
    img = np.asarray(Image.open(osp.join(ROOT, 'resources', 'balloons.png')).convert('RGB'))
    img = torch.from_numpy(img.copy()).permute(2, 0, 1)[None].float()
    scale = max(2.0, size / min(img.shape[-2:]) * 1.25)
    img = F.interpolate(img, scale_factor=scale, mode='bicubic', align_corners=False)
    img = img.clamp(0, 255)[0]
    rng = np.random.default_rng(seed)
    crops = []
    for _ in range(num):
        y = int(rng.integers(0, img.shape[1] - size + 1))
        x = int(rng.integers(0, img.shape[2] - size + 1))
        crop = img[:, y:y + size, x:x + size]
        crops.append(crop.flip(-1) if rng.random() < 0.5 else crop)
    return torch.stack(crops).to(device)


def train(model_state, args, name, opts, device, bank, z):
    from mmagic.structures import DataSample
    from mmengine import MessageHub
    torch.manual_seed(0)
    model, optim, _, _ = build(args.config, device, args.batch)
    model.load_state_dict(model_state)
    patches, handles = Patches(), []
    apply_setting(model, opts, device, patches, handles)
    hub = MessageHub.get_current_instance()
    rng = np.random.default_rng(1)
    random.seed(1)  # style mixing draws from Python's generator
    np.random.seed(1)
    torch.manual_seed(1)
    losses = []
    sync(device)
    t0 = time.perf_counter()
    for it in range(args.iters):
        idx = torch.as_tensor(rng.choice(len(bank), args.batch, replace=False), device=device)
        data = dict(inputs={}, data_samples=[DataSample(gt_img=img) for img in bank[idx]])
        hub.update_info('iter', it)
        log = model.train_step(data, optim)
        losses.append({k: float(v) for k, v in log.items()})
    sync(device)
    seconds = time.perf_counter() - t0
    for h in handles:
        h.remove()
    patches.restore()
    model.eval()
    with torch.no_grad():
        samples = model.generator(z, size=args.size, add_noise=False).float().cpu()
    return dict(setting=name, opts=opts, seconds=seconds, losses=losses), samples


def window_means(losses, window):
    keys = sorted({k for r in losses for k in r if k.startswith('loss_')})
    out = []
    for start in range(0, len(losses), window):
        chunk = losses[start:start + window]
        out.append({k: float(np.mean([r[k] for r in chunk if k in r])) for k in keys
                    if any(k in r for r in chunk)})
    return out


def save_png(path, rows, size):
    from PIL import Image
    small = max(64, size // 2)
    grid = torch.cat([torch.cat(list(F.interpolate(r, size=small, mode='area')), 2)
                      for r in rows], 1)
    img = ((grid.clamp(-1, 1) + 1) * 127.5).round().byte().permute(1, 2, 0).numpy()
    Image.fromarray(img).save(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    add_bench_args(parser)
    parser.add_argument('--size', type=int, default=256)
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--iters', type=int, default=300)
    parser.add_argument('--window', type=int, default=50)
    parser.add_argument('--samples', type=int, default=8)
    parser.add_argument('--setting', default='bf16:lp=bfloat16,min=64')
    parser.add_argument('--png')
    args = parse_bench_args(parser)
    device = torch.device(args.device)
    torch.manual_seed(0)
    model, _, _, _ = build(args.config, device, args.batch)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    z = torch.randn(args.samples, model.generator.style_channels,
                    generator=torch.Generator().manual_seed(2)).to(device)
    del model
    bank = crop_bank(args.size, max(64, 4 * args.batch), device)
    runs, rows = [], []
    for name, opts in (REFERENCE, parse_setting(args.setting)):
        run, samples = train(state, args, name, opts, device, bank, z)
        run['windows'] = window_means(run['losses'], args.window)
        run['finite'] = all(math.isfinite(v) for r in run['losses'] for v in r.values())
        runs.append(run)
        rows.append(samples)
        print(f"{name:>10}: {run['seconds']:.1f} s for {args.iters} iterations, finite="
              f"{run['finite']}", flush=True)
        for i, w in enumerate(run['windows']):
            print(f"{'':>12}iters {i * args.window:>4}+: " +
                  ' '.join(f'{k[5:]}={v:.3f}' for k, v in w.items()), flush=True)
    diff = float((rows[0] - rows[1]).abs().mean())
    spread = float(rows[0].std())
    print(f'samples: mean |float32 - {runs[1]["setting"]}| = {diff:.4f} '
          f'(float32 samples std {spread:.4f})', flush=True)
    if args.png:
        save_png(args.png, rows, args.size)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(args=vars(args), runs=runs, sample_mean_abs_diff=diff,
                           sample_std=spread), f)


if __name__ == '__main__':
    main()
