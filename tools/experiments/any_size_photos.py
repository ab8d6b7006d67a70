"""Any size on a 2-core CPU: one small MS-PIE trained at 1:1, 2:1 and 3:1 vs the same at 1:1.

Real images are random crops of freely redistributable photographs
(``--photos``; by default the shipped ``resources/balloons.png`` and
``resources/mountains3.png`` and scikit-learn's two sample photos
``china.jpg`` / ``flower.jpg``; licences in docs/any_size.md): ``--num-crops``
windows of aspect 3:1 at random positions and heights, area-resized to
48x144 and written to ``OUT/data/crops``.  Two settings of the config
``mspie-stylegan2_spe-expand_pad_small_1xb8-3kiters_photos-32-96.py``
(SPE expanded, zero padding) train through mmengine's Runner with the same
seed and budget:

* ``multi``: MS-PIE at 32x32, 32x64 and 32x96 (probabilities 0.4/0.3/0.3;
  the pipeline crops each real image to the drawn scale's aspect ratio at a
  random position, then area-resizes it);
* ``single``: the same model at 32x32 only.

Both EMA generators then sample every size from the same latents, and the tool
measures per size the multi-level SWD (x10^3, Karras's recipe: 32 px
band-pass and 16 px residual levels and their average) against the crops
centre-cropped to that aspect ratio and area-resized (plus the real-vs-real
floor of two disjoint halves), and the scale consistency (L1, and LPIPS when
its backbone file is local) of every size pair, with the wide output's
centre window compared with the generator's own smaller output.  Writes
``results.json``, ``results.md`` and, per setting, ``samples_<size>.png``
(the same 8 latents at each size) and ``sizes.png`` (4 latents, one row
each: 1:1, 2:1 and 3:1 side by side).

Example::

    nice -n 10 python tools/experiments/any_size_photos.py --out work_dirs/any_size_photos
"""
import argparse
import json
import os
import os.path as osp

import numpy as np
import torch
from multi_seed import train_run, write_json
from PIL import Image

from mmposgan.utils.launch import run_cli

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'ms_pie_stylegan2',
                  'mspie-stylegan2_spe-expand_pad_small_1xb8-3kiters_photos-32-96.py')
SIZES = [(32, 32), (32, 64), (32, 96)]
SETTINGS = {
    'multi': [],
    'single': ['train_dataloader.batch_sampler.scales=[32]',
               'train_dataloader.batch_sampler.probs=[1.0]'],
}
CROP = (48, 144)  # written crops: 3:1, 1.5x the largest training scale
DEFAULT_PHOTOS = [osp.join(REPO, 'resources', 'balloons.png'),
                  osp.join(REPO, 'resources', 'mountains3.png'), 'sklearn:china.jpg',
                  'sklearn:flower.jpg']


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--photos', nargs='+', default=DEFAULT_PHOTOS,
                        help="image files ('sklearn:NAME' for scikit-learn's sample images)")
    parser.add_argument('--num-crops', type=int, default=1000)
    parser.add_argument('--iters', type=int, default=None,
                        help="training iterations (default: the config's max_iters)")
    parser.add_argument('--settings', nargs='+', default=list(SETTINGS), choices=list(SETTINGS))
    parser.add_argument('--seed', type=int, default=0, help='training seed')
    parser.add_argument('--num-samples', type=int, default=500,
                        help='generated images per size for SWD (as many reals; at most half '
                        'the crops, the real-vs-real floor uses the other half)')
    parser.add_argument('--consistency-samples', type=int, default=256)
    parser.add_argument('--lpips-path', default=None,
                        help='LPIPS AlexNet backbone file (default: the usual places; LPIPS is '
                        'skipped with a note when it is not there)')
    parser.add_argument('--threads', type=int, default=1,
                        help='torch CPU threads per training (one is several times faster '
                        'than two on a loaded 2-core machine)')
    parser.add_argument('--jobs', type=int, default=1,
                        help='settings trained at the same time, in separate processes')
    parser.add_argument('--skip-done', action='store_true',
                        help='keep the settings already in --out/results.json (same iterations)')
    parser.add_argument('--evaluate-checkpoints', action='store_true',
                        help='measure the settings\' finished checkpoints (OUT/SETTING/'
                        'iter_ITERS.pth) instead of training them')
    parser.add_argument('--cfg-options', nargs='*', default=[],
                        help='extra key=value config overrides (e.g. for tiny test runs)')
    args = parser.parse_args(argv)
    if not 1 <= args.num_samples <= args.num_crops // 2:
        parser.error(f'--num-samples must be in 1..{args.num_crops // 2}')
    return args


def load_photo(spec: str) -> np.ndarray:
    """``(H, W, 3)`` uint8 of a file or of ``sklearn:NAME`` (scikit-learn's sample images)."""
    if spec.startswith('sklearn:'):
        from sklearn.datasets import load_sample_image
        return np.asarray(load_sample_image(spec.split(':', 1)[1]))
    return np.asarray(Image.open(spec).convert('RGB'))


def write_crops(photos, folder: str, num: int, seed: int = 0) -> list:
    """``num`` random 3:1 windows of the photos (heights from 48 px up to what fits),
    area-resized to 48x144, as PNG files; returns their paths."""
    from mmposgan.datasets.multi_scale import area_resize
    os.makedirs(folder, exist_ok=True)
    images = [load_photo(p) for p in photos]
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(num):
        img = images[i % len(images)]
        top_h = min(img.shape[0], img.shape[1] // 3)
        if top_h < CROP[0]:
            raise ValueError(f'{photos[i % len(images)]} is too small for a {CROP[0]}x'
                             f'{CROP[1]} crop')
        h = int(rng.integers(CROP[0], top_h + 1))
        y = int(rng.integers(0, img.shape[0] - h + 1))
        x = int(rng.integers(0, img.shape[1] - 3 * h + 1))
        crop = area_resize(img[y:y + h, x:x + 3 * h], CROP)
        path = osp.join(folder, f'{i:05d}.png')
        Image.fromarray(crop).save(path)
        paths.append(path)
    return paths


def real_at(paths, size) -> torch.Tensor:
    """The crops centre-cropped to ``size``'s aspect ratio and area-resized: ``(N, 3, h, w)``."""
    from mmposgan.datasets.multi_scale import area_resize
    h, w = size
    out = []
    for path in paths:
        img = np.asarray(Image.open(path).convert('RGB'))
        ch, cw = img.shape[:2]
        win_w = min(cw, round(ch * w / h))
        win_h = min(ch, round(win_w * h / w))
        top, left = (ch - win_h) // 2, (cw - win_w) // 2
        out.append(area_resize(img[top:top + win_h, left:left + win_w], size))
    return torch.from_numpy(np.stack(out)).permute(0, 3, 1, 2).float() / 127.5 - 1


@torch.no_grad()
def sample(generator, latents, size, batch: int = 50) -> torch.Tensor:
    """Images in [-1, 1] of ``latents`` at ``size`` (per-pixel noise from a fixed seed)."""
    torch.manual_seed(0)
    return torch.cat([generator(latents[i:i + batch], size=size)
                      for i in range(0, len(latents), batch)]).clamp(-1, 1)


def save_sizes_figure(rows, path: str, zoom: int = 3, gap: int = 2):
    """One row per latent: its images at each size side by side (zoomed, nearest)."""
    heights = max(r[0].shape[0] for r in rows)
    width = sum(img.shape[1] for img in rows[0]) + gap * (len(rows[0]) + 1)
    canvas = np.full((len(rows) * (heights + gap) + gap, width, 3), 255, np.uint8)
    for i, row in enumerate(rows):
        x = gap
        for img in row:
            y = gap + i * (heights + gap)
            canvas[y:y + img.shape[0], x:x + img.shape[1]] = img
            x += img.shape[1] + gap
    Image.fromarray(canvas).resize((canvas.shape[1] * zoom, canvas.shape[0] * zoom),
                                   Image.NEAREST).save(path)


def evaluate(generator, reals, args, run_dir: str) -> dict:
    from mmposgan.apis import save_image_grid, to_uint8
    from mmposgan.evaluation.functional.swd import multi_level_swd
    from mmposgan.evaluation.metrics import resolve_lpips_backbone
    from mmposgan.evaluation.metrics.scale_consistency import scale_consistency
    from mmposgan.utils.size import size_name
    generator.eval()
    num = args.num_samples
    latents = torch.randn(num, generator.style_channels,
                          generator=torch.Generator().manual_seed(1234))
    swd, rows = {}, [[] for _ in range(4)]
    for size in SIZES:
        fake = sample(generator, latents, size)
        swd[size_name(size)] = multi_level_swd(reals[size][:num], fake, seed=0)
        save_image_grid(fake[:8], osp.join(run_dir, f'samples_{size_name(size)}.png'), nrow=4)
        for i, img in enumerate(to_uint8(fake[:4])):
            rows[i].append(img)
    save_sizes_figure(rows, osp.join(run_dir, 'sizes.png'))
    distances = ['l1']
    try:
        resolve_lpips_backbone('alex', args.lpips_path)
        distances.append('lpips')
    except FileNotFoundError as err:
        print(f'[any_size_photos] LPIPS skipped: {err}', flush=True)
    consistency = scale_consistency(generator, SIZES, num_samples=args.consistency_samples,
                                    distances=distances, match='crop', lpips_path=args.lpips_path)
    return dict(swd=swd, consistency=consistency)


def markdown(result: dict) -> str:
    """SWD per setting and size (levels: 32 px band-pass, 16 px residual, their average), and
    scale consistency per setting and size pair."""
    lines = ['| setting | size | SWD level 32 | SWD level 16 | SWD avg |', '|---|---|---|---|---|']
    rows = [('real vs real', result['real_vs_real'])] + [(r['setting'], r['swd'])
                                                         for r in result['runs']]
    for name, swd in rows:
        for size, levels in swd.items():
            lines.append(f'| {name} | {size} | '
                         + ' | '.join(f'{v:.2f}' for v in levels.values()) + ' |')
    if result['runs']:
        distances = list(next(iter(result['runs'][0]['consistency'].values())))
        lines += ['', '| setting | pair | ' + ' | '.join(distances) + ' |',
                  '|---|---|' + '---|' * len(distances)]
        for run in result['runs']:
            for pair, values in run['consistency'].items():
                lines.append(f'| {run["setting"]} | {pair} | '
                             + ' | '.join(f'{values[d]:.4f}' for d in distances) + ' |')
    return '\n'.join(lines) + '\n'


def train_and_evaluate(setting: str, data: str, iters: int, args) -> dict:
    """Train one setting (in this process; with ``--evaluate-checkpoints`` load its
    ``iter_<iters>.pth`` instead) and measure it; returns its result."""
    torch.set_num_threads(args.threads)
    import mmposgan.datasets  # noqa: F401  (registers the modules)
    import mmposgan.models  # noqa: F401
    from mmposgan.apis import init_model, sampling_generator
    from mmposgan.utils.wrappers import unwrapped_module
    paths = sorted(osp.join(data, f) for f in os.listdir(data))
    reals = {size: real_at(paths, size) for size in SIZES}
    run_dir = osp.join(args.out, setting)
    if args.evaluate_checkpoints:
        model, train_time_s = init_model(CONFIG, osp.join(run_dir, f'iter_{iters}.pth')), None
    else:
        options = [f'train_dataloader.dataset.dataset.data_root={data}'] + SETTINGS[setting]
        out = train_run(CONFIG, run_dir, args.seed, iters, options + list(args.cfg_options),
                        name=setting)
        model, train_time_s = out['runner'].model, round(out['train_time_s'], 1)
    generator = sampling_generator(unwrapped_module(model))  # the EMA copy
    result = evaluate(generator, reals, args, run_dir)
    print(f'[any_size_photos] {setting} ({train_time_s} s training): {result}', flush=True)
    return dict(setting=setting, iters=iters, train_time_s=train_time_s, **result)


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    from mmengine.config import Config

    import mmposgan.datasets  # noqa: F401  (registers the modules)
    import mmposgan.models  # noqa: F401
    from mmposgan.evaluation.functional.swd import multi_level_swd
    from mmposgan.utils.size import size_name

    os.makedirs(args.out, exist_ok=True)
    data = osp.join(args.out, 'data', 'crops')
    paths = write_crops(args.photos, data, args.num_crops, args.seed)
    reals = {size: real_at(paths, size) for size in SIZES}
    num = args.num_samples
    real_vs_real = {size_name(s): multi_level_swd(reals[s][:num], reals[s][num:2 * num], seed=0)
                    for s in SIZES}
    print(f'[any_size_photos] real vs real: {real_vs_real}', flush=True)

    json_path = osp.join(args.out, 'results.json')
    iters = args.iters or Config.fromfile(CONFIG).train_cfg.max_iters
    done = {}
    if args.skip_done and osp.exists(json_path):
        with open(json_path) as f:
            done = {r['setting']: r for r in json.load(f)['runs'] if r['iters'] == iters}
    todo = [setting for setting in args.settings if setting not in done]
    for setting in args.settings:
        if setting in done:
            print(f'[any_size_photos] {setting}: kept from {json_path}', flush=True)
    jobs = [(setting, data, iters, args) for setting in todo]
    if args.jobs > 1 and len(jobs) > 1:
        import multiprocessing
        with multiprocessing.get_context('spawn').Pool(min(args.jobs, len(jobs))) as pool:
            finished = dict(zip(todo, pool.starmap(train_and_evaluate, jobs)))
    else:
        finished = {job[0]: train_and_evaluate(*job) for job in jobs}
    runs = [done.get(setting) or finished[setting] for setting in args.settings]
    result = dict(args=vars(args), real_vs_real=real_vs_real, runs=runs)
    write_json(json_path, result)
    with open(osp.join(args.out, 'results.md'), 'w') as f:
        f.write(markdown(result))
    return result


if __name__ == '__main__':
    run_cli(main)
