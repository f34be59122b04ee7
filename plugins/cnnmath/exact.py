"""Exact rational arithmetic on small arrays, for results a page prints as fractions."""

from __future__ import annotations

from fractions import Fraction
from numbers import Rational

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike


def to_fractions(values: ArrayLike, name: str = "array") -> np.ndarray:
    """Return ``values`` as an object array of :class:`fractions.Fraction`.

    Integers and fractions convert exactly. A float converts only when it is a whole
    number: ``1/9`` has no float, so ``0.111…`` is refused rather than turned into
    the binary fraction nearest to it.

    Args:
        values: Integers, fractions, or whole-number floats, of any shape.
        name: What the values are, for the error message.

    Returns:
        An object array of the same shape holding ``Fraction`` entries.

    Raises:
        ValueError: If an entry is a float that is not a whole number.
        TypeError: If an entry is neither a number nor a fraction.
    """
    array = np.asarray(values, dtype=object)
    result = np.empty(array.shape, dtype=object)
    for index, entry in np.ndenumerate(array):
        result[index] = _to_fraction(entry, name)
    return result


def correlate_valid_exact(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Return the valid 2-D cross-correlation of two arrays of fractions, exactly.

    Args:
        image: An object array of shape ``(H, W)`` holding fractions.
        kernel: An object array of shape ``(kh, kw)`` holding fractions, no larger
            than ``image``.

    Returns:
        An object array of shape ``(H − kh + 1, W − kw + 1)`` holding fractions.
    """
    windows = sliding_window_view(image, kernel.shape)
    products = windows * kernel
    result = np.empty(windows.shape[:2], dtype=object)
    for index in np.ndindex(result.shape):
        result[index] = sum(products[index].ravel(), Fraction(0))
    return result


def _to_fraction(entry: object, name: str) -> Fraction:
    """Convert one entry exactly, or say why it cannot be."""
    if isinstance(entry, int | np.integer | np.bool_):
        return Fraction(int(entry))
    if isinstance(entry, Rational):
        return Fraction(entry)
    if isinstance(entry, float | np.floating):
        if float(entry).is_integer():
            return Fraction(int(entry))
        raise ValueError(
            f"{name} holds the float {float(entry)!r}, which has no exact value; "
            "pass integers or fractions.Fraction (e.g. Fraction(1, 9)) for exact arithmetic"
        )
    raise TypeError(f"{name} holds {entry!r}, which is not a number")
