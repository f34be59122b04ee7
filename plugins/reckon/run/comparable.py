"""Computed values as claims see them: plain, typed data (:data:`reckon.wire.Comparable`).

This runs in the page process, where the values are; the verdict is reached in the MkDocs process
(:mod:`reckon.page.verify`), against a fresh or a cached comparable alike.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from ..limits import SEQUENCE_LIMIT
from ..wire import Comparable, NumberValue, exact_value

__all__ = ["to_comparable"]


def to_comparable(value: Any) -> Comparable:
    """Turn a computed value into plain JSON data that :func:`reckon.page.verify.check_claim` can compare.

    Integers, floats, fractions and NumPy scalars become numbers; tuples, lists, NumPy arrays and
    shapes become sequences; sets become sets; strings stay strings; anything else is kept only as
    its type and ``repr`` (a claim against it fails with a message naming the type).
    """
    number = _as_number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        return {"t": "str", "v": value}
    if _length(value) > SEQUENCE_LIMIT:  # no prose claims it member by member; the cache keeps it small
        pass
    elif isinstance(value, (set, frozenset)):
        members = _numbers(value)
        if members is not None:
            return {"t": "set", "items": sorted(members, key=_sort_key)}
    elif _is_sequence(value):
        items = _numbers(value)
        if items is not None:
            return {"t": "seq", "items": items}
    return {"t": "other", "type": type(value).__name__, "repr": _short_repr(value)}


def _numbers(values: Any) -> list[NumberValue] | None:
    """Each of ``values`` as a number, or ``None`` if any is not one."""
    numbers = []
    for value in values:
        number = _as_number(value)
        if number is None:
            return None
        numbers.append(number)
    return numbers


def _as_number(value: Any) -> NumberValue | None:
    # Plain int/float/bool throughout: a Fraction built from NumPy integers keeps np.int64 parts,
    # and a np.float64 is a float subclass; the cache stores these as JSON.
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return {"t": "bool", "v": bool(value)}
    if isinstance(value, int):
        return {"t": "int", "v": int(value)}
    if isinstance(value, Fraction):
        return {"t": "fraction", "n": int(value.numerator), "d": int(value.denominator)}
    if isinstance(value, float):
        return {"t": "float", "v": float(value)}
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if kind is not None and getattr(value, "ndim", None) == 0:  # NumPy scalars and 0-d arrays
        item = value.item()
        if isinstance(item, (bool, int, float, Fraction)):
            return _as_number(item)
    if type(value).__name__ == "Decimal":
        return {"t": "fraction", "n": Fraction(value).numerator, "d": Fraction(value).denominator}
    return None


def _length(value: Any) -> int:
    try:
        return len(value) if isinstance(value, (set, frozenset, tuple, list)) or _is_sequence(value) else 0
    except TypeError:  # a 0-d array
        return 0


def _is_sequence(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return True
    return getattr(value, "ndim", None) == 1 and hasattr(value, "tolist")


def _sort_key(item: NumberValue) -> float:
    value = exact_value(item)
    return float(value) if not isinstance(value, float) or not math.isnan(value) else math.inf


def _short_repr(value: Any, limit: int = 200) -> str:
    try:
        text = repr(value)
    except Exception as error:  # a broken __repr__ must not break the report
        text = f"<{type(value).__name__} whose repr raised {type(error).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"
