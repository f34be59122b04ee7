"""Numbers written as LaTeX, for matrices and formulas alike."""

from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Any

__all__ = ["latex_number"]


def latex_number(value: Any, *, fraction: str = "tfrac", group_thousands: bool = False) -> str:
    """A number as LaTeX: ``\\tfrac{425}{3}``, ``-2``, ``141.667``, ``1.5 \\times 10^{-5}``.

    Args:
        value: The number (Python or NumPy).
        fraction: The LaTeX command for a fraction (``tfrac`` inline, ``dfrac`` in a matrix).
        group_thousands: Write ``96{,}096`` rather than ``96096`` (``{,}``: a comma with no space
            after it, which is what a bare comma in math mode would get).
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return latex_number(value.numerator, group_thousands=group_thousands)
        sign = "-" if value < 0 else ""
        return f"{sign}\\{fraction}{{{abs(value.numerator)}}}{{{value.denominator}}}"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}".replace(",", "{,}") if group_thousands else str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if group_thousands and number.is_integer() and abs(number) < 1e15:
            return latex_number(int(number), group_thousands=True)
        text = f"{number:.6g}"
        if "e" in text:
            mantissa, exponent = text.split("e")
            return f"{mantissa} \\times 10^{{{int(exponent)}}}"
        return text
    return str(value)
