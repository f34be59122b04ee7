"""Checks shared by the public functions: integers, (height, width) pairs."""

from __future__ import annotations

import operator
from collections.abc import Sequence

IntOrPair = int | tuple[int, int] | Sequence[int]


def as_int(value: object, name: str, *, minimum: int) -> int:
    """Return ``value`` as a Python ``int`` no smaller than ``minimum``.

    Args:
        value: An integer (Python or NumPy); ``bool`` and floats are refused.
        name: What the value is, for the error message.
        minimum: The smallest accepted value.

    Returns:
        The value as a plain ``int``.

    Raises:
        TypeError: If ``value`` is not an integer.
        ValueError: If ``value`` is smaller than ``minimum``.
    """
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {value!r}") from None
    if number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {number}")
    return number


def as_pair(value: object, name: str, *, minimum: int) -> tuple[int, int]:
    """Return ``value`` as a ``(height, width)`` pair of integers.

    Args:
        value: One integer used for both axes, or a pair of integers.
        name: What the value is, for the error message.
        minimum: The smallest accepted value on each axis.

    Returns:
        The pair ``(height, width)``.

    Raises:
        TypeError: If ``value`` is neither an integer nor a pair of integers.
        ValueError: If ``value`` has the wrong length or an entry below ``minimum``.
    """
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 2:
            raise ValueError(f"{name} must be an integer or a (height, width) pair, got {value!r}")
        return (
            as_int(value[0], f"{name}[0]", minimum=minimum),
            as_int(value[1], f"{name}[1]", minimum=minimum),
        )
    number = as_int(value, name, minimum=minimum)
    return (number, number)
