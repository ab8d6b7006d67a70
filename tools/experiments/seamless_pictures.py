"""Seamless PE-SinGAN pictures and their measured seams (docs/any_size.md).

From trained checkpoints of the demo configs in ``configs/pe_singan/``:

* ``panorama``: the circular-x balloons demo sampled 3x wide (a 360-degree
  panorama);
* ``texture``: the circular-xy Starry Night demo at ``--texture-scale`` (2)
  times the painting per side, the first sample tiled 2x2 (at the training
  size a SinGAN redraws the painting, the jump between its edges included);
* ``baseline`` (optional): the plain SPE demo (zero padding), 3x wide as
  trained, and the same weights made seamless after training
  (``make_seamless(model, 'x')``: ``baseline_made_seamless``).

For every set the tool measures the wrap seam against the neighbouring
columns (rows) of the same ``--num`` samples (:func:`seam_statistics`:
``ratio`` = seam / largest neighbour difference, above 1 outside their
range; ``rank`` = share of neighbour differences below the seam) and writes
``results.json``, ``results.md`` and the figures: ``<set>.png`` (the first
samples, and the same rolled by half a period so that the wrap seam runs down
the middle) and ``texture_tiled_2x2.png``.

Example::

    W=work_dirs/any_size
    python tools/experiments/seamless_pictures.py --out work_dirs/seamless_pictures \\
        --panorama $W/singan_circular-x_periodic-8ch_demo_balloons/iter_3000.pth \\
        --texture $W/singan_circular-xy_periodic-8ch_demo_starry-night/iter_3000.pth \\
        --baseline $W/singan_spe-8ch_demo_balloons/iter_3000.pth
"""
import argparse
import os
import os.path as osp

import numpy as np
from multi_seed import write_json
from PIL import Image

from mmposgan.utils.launch import run_cli

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = osp.join(REPO, 'configs', 'pe_singan')
PANORAMA = osp.join(CONFIGS, 'singan_circular-x_periodic-8ch_demo_balloons.py')
TEXTURE = osp.join(CONFIGS, 'singan_circular-xy_periodic-8ch_demo_starry-night.py')
BASELINE = osp.join(CONFIGS, 'singan_spe-8ch_demo_balloons.py')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--panorama', required=True, help=f'checkpoint of {PANORAMA}')
    parser.add_argument('--texture', required=True, help=f'checkpoint of {TEXTURE}')
    parser.add_argument('--baseline', help=f'checkpoint of {BASELINE} (optional)')
    parser.add_argument('--num', type=int, default=16, help='samples per set measured')
    parser.add_argument('--show', type=int, default=2, help='samples per set in the figures')
    parser.add_argument('--width', type=float, default=3.0, help='panorama width scale')
    parser.add_argument('--texture-scale', type=float, default=2.0,
                        help='texture size relative to the painting, per side (at 1 a SinGAN '
                        "reproduces the painting, its edges' jump included)")
    parser.add_argument('--zoom', type=int, default=2, help='figure magnification (nearest)')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def seams(images, axes: str) -> dict:
    """Seam statistics per wrapped axis: ``{'x': {seam, neighbours_mean, ...}}``."""
    from mmposgan.evaluation.functional import seam_statistics
    out = {}
    for axis in axes:
        stats = seam_statistics(images, axis)
        neighbours = stats.pop('neighbours')
        out[axis] = dict(stats, neighbours_mean=float(neighbours.mean()),
                         neighbours_max=float(neighbours.max()))
    return out


def stack(rows, gap: int = 4) -> np.ndarray:
    """Images ``(h, w, 3)`` of one width, one above the other with white gaps."""
    width = rows[0].shape[1]
    canvas = np.full((sum(r.shape[0] for r in rows) + gap * (len(rows) - 1), width, 3), 255,
                     np.uint8)
    y = 0
    for row in rows:
        canvas[y:y + row.shape[0]] = row
        y += row.shape[0] + gap
    return canvas


def save(array: np.ndarray, path: str, zoom: int) -> str:
    image = Image.fromarray(array)
    image.resize((image.width * zoom, image.height * zoom), Image.NEAREST).save(path)
    return path


def rolled_figure(images, show: int) -> np.ndarray:
    """Each shown sample, then the same rolled by half its width (the wrap seam in the middle)."""
    from mmposgan.apis import to_uint8
    rows = []
    for img in to_uint8(images[:show]):
        rows += [img, np.roll(img, img.shape[1] // 2, axis=1)]
    return stack(rows)


def measure(name, model, args, size_scale, axes, seamless=None) -> dict:
    from mmposgan.apis import sample
    [grid] = sample(model, args.num, seed=args.seed, size_scale=size_scale, seamless=seamless)
    save(rolled_figure(grid.images, args.show), osp.join(args.out, f'{name}.png'), args.zoom)
    result = dict(size=list(grid.size), num=args.num, seam=seams(grid.images, axes))
    print(f'[seamless_pictures] {name} {grid.size[0]}x{grid.size[1]}: ' + ', '.join(
        f'{axis}: ratio {s["ratio"]:.3f} rank {s["rank"]:.3f}' for axis, s in
        result['seam'].items()), flush=True)
    return result, grid.images


def markdown(results: dict) -> str:
    lines = ['| set | size (h x w) | axis | seam | neighbours mean | neighbours max | ratio '
             '| rank |',
             '|---|---|---|---|---|---|---|---|']
    for name, result in results.items():
        for axis, s in result['seam'].items():
            lines.append(f'| {name} | {result["size"][0]}x{result["size"][1]} | {axis} | '
                         f'{s["seam"]:.4f} | {s["neighbours_mean"]:.4f} | '
                         f'{s["neighbours_max"]:.4f} | {s["ratio"]:.3f} | {s["rank"]:.3f} |')
    return '\n'.join(lines) + '\n'


def main(argv=None):
    args = parse_args(argv)
    import mmposgan  # noqa: F401
    from mmposgan.apis import init_model, to_uint8
    os.makedirs(args.out, exist_ok=True)
    results = {}
    wide = (1.0, args.width)
    results['panorama'], _ = measure('panorama', init_model(PANORAMA, args.panorama), args, wide,
                                     'x')
    results['texture'], tiles = measure('texture', init_model(TEXTURE, args.texture), args,
                                        (args.texture_scale, ) * 2, 'xy')
    tile = to_uint8(tiles[:1])[0]
    save(np.tile(tile, (2, 2, 1)), osp.join(args.out, 'texture_tiled_2x2.png'), args.zoom)
    if args.baseline:
        model = init_model(BASELINE, args.baseline)
        results['baseline'], _ = measure('baseline', model, args, wide, 'x')
        results['baseline_made_seamless'], _ = measure('baseline_made_seamless', model, args,
                                                       wide, 'x', seamless='x')
    write_json(osp.join(args.out, 'results.json'), dict(args=vars(args), results=results))
    with open(osp.join(args.out, 'results.md'), 'w') as f:
        f.write(markdown(results))
    return results


if __name__ == '__main__':
    run_cli(main)
