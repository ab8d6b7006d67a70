"""Spatial sizes: one parser for ``512`` / ``(h, w)``, one order, a centre crop and one
power-of-two check."""
import math
from typing import Iterable, List, Sequence, Tuple, Union

Size = Tuple[int, int]


def to_size(size: Union[int, Sequence[int]]) -> Size:
    """``512 -> (512, 512)``, ``(h, w) -> (h, w)`` as ints (height first).

    Raises:
        ValueError: Not an int or a pair, or a side that is not positive.
    """
    if isinstance(size, int):
        size = (size, size)
    try:
        h, w = (int(s) for s in size)
    except (TypeError, ValueError):
        raise ValueError(f'a size is an int or (height, width), got {size!r}') from None
    if h < 1 or w < 1:
        raise ValueError(f'a size must be positive, got {(h, w)}')
    return (h, w)


def size_name(size: Union[int, Sequence[int]]) -> str:
    """``256 -> '256'``, ``(256, 512) -> '256x512'`` (height x width; file names, messages)."""
    return str(size) if isinstance(size, int) else 'x'.join(str(int(n)) for n in size)


def by_area(sizes: Iterable[Union[int, Sequence[int]]]) -> List[Size]:
    """The distinct sizes of ``sizes`` as ``(h, w)``, smallest area first (ties: lower height
    first)."""
    return sorted({to_size(s) for s in sizes}, key=lambda s: (s[0] * s[1], s))


def centre_crop(images, size: Union[int, Sequence[int]]):
    """The centre ``(h, w)`` window of ``(..., H, W)`` images (``H >= h``, ``W >= w``)."""
    h, w = to_size(size)
    big_h, big_w = images.shape[-2:]
    if big_h < h or big_w < w:
        raise ValueError(f'cannot crop {h}x{w} out of {big_h}x{big_w}')
    top, left = (big_h - h) // 2, (big_w - w) // 2
    return images[..., top:top + h, left:left + w]


def log2_of_power_of_two(value: int, name: str, minimum: int = 1) -> int:
    """``log2(value)`` for a power of two ``>= minimum``.

    Raises:
        ValueError: ``value`` is not such a power of two (the message names ``name``).
    """
    log = int(math.log2(value)) if isinstance(value, int) and value > 0 else -1
    if log < 0 or 2**log != value or value < minimum:
        raise ValueError(f'{name} must be a power of two >= {minimum}, got {value}')
    return log
