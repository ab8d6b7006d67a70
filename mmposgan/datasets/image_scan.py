"""Check an image folder before training: every file readable and large enough.

Without this, an image smaller than the largest MS-PIE scale is found only
when that scale is drawn for it, possibly hours into training, and an
unreadable file stops training at a random iteration.
"""
import time
from typing import Callable, List, Sequence, Tuple

from mmengine.logging import print_log

from mmposgan.utils.size import Size
from .image_io import image_size

#: How many file names a message lists before it only counts.
LISTED = 5


Finding = Tuple[str, str]  # (path, reason)


def _listing(items: List[Finding]) -> str:
    shown = ', '.join(f'{path} ({reason})' for path, reason in items[:LISTED])
    return shown + (f' and {len(items) - LISTED} more' if len(items) > LISTED else '')


def scan_images(paths: Sequence[str], scales: Sequence[Size],
                fits: Callable[[Size, Size], bool]) -> Tuple[List[Finding], List[Finding]]:
    """Read every header once; ``(unreadable, too_small)`` file descriptions.

    Args:
        paths (list[str]): Image files.
        scales (list[tuple]): ``(h, w)`` sizes each image must serve.
        fits (callable): ``fits(image_size, scale)``: whether an image of
            ``image_size`` can be brought to ``scale`` without upscaling.

    Returns:
        tuple: ``(path, reason)`` lists of unreadable and too-small files.
    """
    unreadable, too_small = [], []
    start = time.perf_counter()
    for path in paths:
        try:
            size = image_size(path)
        except (OSError, ValueError) as err:
            reason = str(err).replace(f'{path}: ', '')
            unreadable.append((path, reason))
            continue
        failing = [s for s in scales if not fits(size, s)]
        if failing:
            h, w = max(failing, key=lambda s: s[0] * s[1])
            too_small.append((path, f'{size[0]}x{size[1]} < {h}x{w}'))
    print_log(f'checked {len(paths)} training images against the scales '
              f'{sorted(set(scales))} in {time.perf_counter() - start:.1f} s', logger='current')
    return unreadable, too_small


def bad_images_message(root: str, total: int, unreadable: List[Finding],
                       too_small: List[Finding]) -> str:
    """One line naming the files :func:`scan_images` found."""
    parts = []
    if unreadable:
        parts.append(f'{len(unreadable)} unreadable: {_listing(unreadable)}')
    if too_small:
        parts.append(f'{len(too_small)} too small for the largest scale: {_listing(too_small)}')
    return (f'{root}: {len(unreadable) + len(too_small)} of {total} training images cannot be '
            f'used ({"; ".join(parts)})')
