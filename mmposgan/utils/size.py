"""Spatial sizes: one parser for ``512`` / ``(h, w)`` and one power-of-two check."""
import math
from typing import Sequence, Tuple, Union

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


def log2_of_power_of_two(value: int, name: str, minimum: int = 1) -> int:
    """``log2(value)`` for a power of two ``>= minimum``.

    Raises:
        ValueError: ``value`` is not such a power of two (the message names ``name``).
    """
    log = int(math.log2(value)) if isinstance(value, int) and value > 0 else -1
    if log < 0 or 2**log != value or value < minimum:
        raise ValueError(f'{name} must be a power of two >= {minimum}, got {value}')
    return log
