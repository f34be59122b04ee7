"""Read the literal on the right of a checked claim, and decide whether a computed value matches it.

A literal claims a value *to the precision written*: ``141.67`` claims 141.665 ≤ x ≤ 141.675,
``96,096`` claims the integer 96,096 (to within a half unit), ``425/3`` claims that exact ratio.
The kinds of literal:

| written | means |
| --- | --- |
| ``96,096``, ``96096``, ``-3``, ``−3`` | a number, to within half a unit |
| ``141.67``, ``0.5`` | a number, to within half a unit in the last decimal written |
| ``425/3`` | that fraction, exactly (floats: to 1e-9 relative) |
| ``12.5%`` | the number 0.125, to within 0.0005 |
| ``4.18e8``, ``4.18×10^8``, ``4.18 × 10⁸`` | to within half a unit in the last mantissa digit |
| ``6×6×20``, ``6x6x20``, ``6 \\times 6`` | a shape: a sequence of exactly these integers |
| ``{8, 9, 10}`` | a set of numbers (any iterable with exactly these members) |
| ``(1, 2.5)``, ``[1, 2.5]`` | a sequence of numbers, element by element |
| ``inf``, ``∞``, ``nan`` | infinity, not-a-number |

Computed values reach this module as *comparables* (see :func:`to_comparable`): plain JSON data,
so that a claim can be re-checked against a cached result without running any code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .limits import SEQUENCE_LIMIT

__all__ = [
    "LiteralError",
    "Number",
    "Shape",
    "NumberSet",
    "NumberSequence",
    "Literal",
    "parse_literal",
    "check_claim",
    "Verdict",
    "to_comparable",
    "describe_comparable",
]


class LiteralError(ValueError):
    """A claim's literal cannot be read; the message says what was expected."""


@dataclass(frozen=True)
class Number:
    """A numeric literal: its value and the half-unit tolerance its written precision implies."""

    text: str
    value: Fraction | float  # float only for inf and nan
    tolerance: Fraction
    exact: bool = False  # a fraction: no rounding implied
    decimals: int = 0  # digits after the point, as written (for formatting the computed value alike)
    style: str = "plain"  # plain | grouped | percent | scientific | fraction | special
    separator: str = ","
    exponent: int = 0


@dataclass(frozen=True)
class Shape:
    """A shape such as ``6×6×20``: a sequence of exactly these integers."""

    text: str
    dims: tuple[int, ...]
    separator: str = "×"


@dataclass(frozen=True)
class NumberSet:
    """A set such as ``{8, 9, 10}``: the computed iterable must have exactly these members."""

    text: str
    items: tuple[Number, ...]


@dataclass(frozen=True)
class NumberSequence:
    """A tuple such as ``(1, 2.5)``: the computed sequence must match element by element."""

    text: str
    items: tuple[Number, ...]


Literal = Number | Shape | NumberSet | NumberSequence

_MINUS = "-\u2212"  # ASCII hyphen-minus and the Unicode minus sign
_GROUP_SEPARATORS = ",_\u2009\u202f\u00a0"  # comma, underscore, thin, narrow no-break and no-break spaces
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")

_SIGN = rf"(?P<sign>[{_MINUS}+])?"


def _grouped(name: str) -> str:
    """Digits in groups of three, one separator throughout: ``418,176,000``."""
    return rf"\d{{1,3}}(?:(?P<{name}>[{_GROUP_SEPARATORS}])\d{{3}})(?:(?P={name})\d{{3}})*"


_DECIMAL = rf"(?P<int>{_grouped('sep')}|\d+)?(?:\.(?P<frac>\d+))?"
_NUMBER_RE = re.compile(rf"^{_SIGN}{_DECIMAL}(?P<pct>\s?%)?$")
_E_NOTATION_RE = re.compile(rf"^{_SIGN}(?P<mant>\d+(?:\.\d+)?)[eE](?P<exp>[{_MINUS}+]?\d+)$")
_TIMES_TEN_RE = re.compile(
    rf"^{_SIGN}(?P<mant>\d+(?:\.\d+)?)\s*(?:×|x|\\times|·|\\cdot)\s*10"
    rf"(?:\^\{{?(?P<exp>[{_MINUS}+]?\d+)\}}?|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+))$"
)
_FRACTION_RE = re.compile(rf"^{_SIGN}(?P<num>{_grouped('nsep')}|\d+)\s*/\s*(?P<den>{_grouped('dsep')}|\d+)$")
_SHAPE_SPLIT_RE = re.compile(r"\s*(?:×|\\times|[xX])\s*")
_SPECIAL = {"inf": math.inf, "infinity": math.inf, "∞": math.inf, "nan": math.nan}


def parse_literal(text: str) -> Literal:
    """Read a claim literal.

    Args:
        text: The literal as written on the page, e.g. ``"96,096"`` or ``"6×6×20"``.

    Returns:
        The literal, with the value and tolerance its written form implies.

    Raises:
        LiteralError: The text is not a literal of any supported kind.
    """
    stripped = text.strip()
    if not stripped:
        raise LiteralError("the claim has nothing after `=`; write the value the page states")
    if stripped[0] == "{" and stripped[-1] == "}":
        return NumberSet(stripped, _parse_items(stripped[1:-1], stripped))
    if (stripped[0], stripped[-1]) in {("(", ")"), ("[", "]")}:
        return NumberSequence(stripped, _parse_items(stripped[1:-1], stripped))
    parts = _SHAPE_SPLIT_RE.split(stripped)
    if len(parts) > 1 and all(part.isdecimal() for part in parts):  # not isdigit: "10⁸" is no dimension
        separator = _SHAPE_SPLIT_RE.search(stripped).group(0).strip()  # type: ignore[union-attr]
        return Shape(stripped, tuple(int(part) for part in parts), separator)
    return parse_number(stripped)


def parse_number(text: str) -> Number:
    """Read a single numeric literal (any kind but shapes, sets and sequences).

    Raises:
        LiteralError: The text is not a number in any supported notation.
    """
    special = text.lstrip(_MINUS + "+").lower()
    if special in _SPECIAL:
        negative = text[:1] in _MINUS and special != "nan"
        value = -_SPECIAL[special] if negative else _SPECIAL[special]
        return Number(text, value, Fraction(0), exact=True, style="special")
    if match := _NUMBER_RE.match(text):
        return _decimal_number(text, match)
    if match := _FRACTION_RE.match(text):
        denominator = _integer(match["den"])
        if denominator == 0:
            raise LiteralError(f"`{text}` divides by zero")
        value = Fraction(_integer(match["num"]), denominator) * _sign(match["sign"])
        return Number(text, value, Fraction(0), exact=True, style="fraction")
    if match := _E_NOTATION_RE.match(text) or _TIMES_TEN_RE.match(text):
        return _scientific_number(text, match)
    raise LiteralError(
        f"`{text}` is not a literal reckon can read; write a number (96,096  141.67  425/3  12.5%  "
        "4.18e8), a shape (6×6×20), a set ({8, 9, 10}) or a tuple ((1, 2.5))"
    )


def _decimal_number(text: str, match: re.Match[str]) -> Number:
    whole, fraction = match["int"], match["frac"]
    if whole is None and fraction is None:
        raise LiteralError(f"`{text}` has no digits")
    decimals = len(fraction or "")
    value = Fraction(_integer(whole or "0")) + Fraction(int(fraction or "0"), 10**decimals)
    tolerance = Fraction(1, 2 * 10**decimals)
    style = "grouped" if match["sep"] else "plain"
    if match["pct"]:
        value, tolerance, style = value / 100, tolerance / 100, "percent"
    return Number(
        text,
        value * _sign(match["sign"]),
        tolerance,
        decimals=decimals,
        style=style,
        separator=match["sep"] or ",",
    )


def _scientific_number(text: str, match: re.Match[str]) -> Number:
    mantissa = match["mant"]
    exponent_text = match["exp"] if match["exp"] is not None else match["sup"].translate(_SUPERSCRIPTS)
    exponent = int(exponent_text.replace("\u2212", "-"))
    decimals = len(mantissa.partition(".")[2])
    scale = Fraction(10) ** exponent
    return Number(
        text,
        Fraction(mantissa) * scale * _sign(match["sign"]),
        Fraction(1, 2 * 10**decimals) * scale,
        decimals=decimals,
        style="scientific",
        exponent=exponent,
    )


def _integer(digits: str) -> int:
    return int(re.sub(f"[{_GROUP_SEPARATORS}]", "", digits))


def _sign(sign: str | None) -> int:
    return -1 if sign and sign in _MINUS else 1


def _parse_items(inner: str, whole: str) -> tuple[Number, ...]:
    inner = inner.strip()
    if not inner:
        return ()
    if re.search(r",\s", inner):
        parts = re.split(r"\s*,\s+", inner)
    else:
        try:  # "(1,234)" is the one number 1234; "{8,9,10}" is three
            return (parse_number(inner),)
        except LiteralError:
            parts = inner.split(",")
    if parts and parts[-1].strip() in {"", ","}:  # a trailing comma, as in (5,)
        parts = parts[:-1]
    parts = [part.strip().rstrip(",") for part in parts]
    try:
        return tuple(parse_number(part) for part in parts)
    except LiteralError as error:
        raise LiteralError(f"in `{whole}`: {error}") from None


# ---------------------------------------------------------------------------------------------
# Computed values, as plain data


def to_comparable(value: Any) -> dict[str, Any]:
    """Turn a computed value into plain JSON data that :func:`check_claim` can compare.

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
        items = [_as_number(item) for item in value]
        if all(item is not None for item in items):
            return {"t": "set", "items": sorted(items, key=_sort_key)}
    elif _is_sequence(value):
        items = [_as_number(item) for item in value]
        if all(item is not None for item in items):
            return {"t": "seq", "items": items}
    return {"t": "other", "type": type(value).__name__, "repr": _short_repr(value)}


def _as_number(value: Any) -> dict[str, Any] | None:
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


def _sort_key(item: dict[str, Any]) -> float:
    value = _exact(item)
    return float(value) if not isinstance(value, float) or not math.isnan(value) else math.inf


def _short_repr(value: Any, limit: int = 200) -> str:
    try:
        text = repr(value)
    except Exception as error:  # a broken __repr__ must not break the report
        text = f"<{type(value).__name__} whose repr raised {type(error).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _exact(item: dict[str, Any]) -> Fraction | float:
    if item["t"] == "fraction":
        return Fraction(item["n"], item["d"])
    if item["t"] == "float":
        value = item["v"]
        return value if not math.isfinite(value) else Fraction(value)
    return Fraction(int(item["v"]))


def describe_comparable(item: dict[str, Any]) -> str:
    """How a computed value reads in a message: ``96096``, ``(6, 6, 20)``, ``'text'``."""
    kind = item["t"]
    if kind == "str":
        return repr(item["v"])
    if kind == "other":
        return f"{item['repr']} (a {item['type']})"
    if kind in {"seq", "set"}:
        inner = ", ".join(describe_comparable(part) for part in item["items"])
        return "{" + inner + "}" if kind == "set" else "(" + inner + ("," if len(item["items"]) == 1 else "") + ")"
    if kind == "fraction":
        return f"{item['n']}/{item['d']}" if item["d"] != 1 else str(item["n"])
    return repr(item["v"])


# ---------------------------------------------------------------------------------------------
# Verdicts


@dataclass(frozen=True)
class Verdict:
    """Whether a claim holds, and if not, what the code computed, in the literal's own notation."""

    holds: bool
    computed: str = ""  # the computed value written like the literal, when it is not
    reason: str = ""


def check_claim(literal_text: str, computed: dict[str, Any]) -> Verdict:
    """Decide whether ``computed`` matches the literal written on the page.

    A computed string is compared with the literal's text exactly (it is what the page would
    show). Otherwise the literal is parsed and compared with the tolerance its precision implies.

    Raises:
        LiteralError: The literal cannot be read (and the computed value is not a string).
    """
    if computed["t"] == "str":
        holds = computed["v"] == literal_text.strip()
        return Verdict(holds, repr(computed["v"]), "" if holds else "the code computes a different text")
    literal = parse_literal(literal_text)
    if isinstance(literal, Number):
        return _check_number(literal, computed)
    if computed["t"] not in {"seq", "set"}:
        kind = "shape" if isinstance(literal, Shape) else "collection"
        return Verdict(False, describe_comparable(computed), f"the page states a {kind} but the code computes one value")
    items = computed["items"]
    if isinstance(literal, Shape):
        holds = len(items) == len(literal.dims) and all(
            item["t"] in {"int", "float", "fraction"} and _exact(item) == dim for item, dim in zip(items, literal.dims, strict=True)
        )
        return Verdict(holds, literal.separator.join(describe_comparable(item) for item in items))
    if isinstance(literal, NumberSequence):
        holds = len(items) == len(literal.items) and all(
            _check_number(expected, item).holds for expected, item in zip(literal.items, items, strict=True)
        )
        return Verdict(holds, describe_comparable({"t": "seq", "items": items}))
    holds = all(any(_check_number(expected, item).holds for expected in literal.items) for item in items) and all(
        any(_check_number(expected, item).holds for item in items) for expected in literal.items
    )
    return Verdict(holds, describe_comparable({"t": "set", "items": items}))


def _check_number(literal: Number, computed: dict[str, Any]) -> Verdict:
    kind = computed["t"]
    if kind == "bool":
        return Verdict(False, str(computed["v"]), "the code computes a bool, not a number")
    if kind not in {"int", "float", "fraction"}:
        return Verdict(False, describe_comparable(computed), "the code computes no single number")
    value = _exact(computed)
    expected = literal.value
    if isinstance(value, float) or isinstance(expected, float):  # nan or inf on either side
        same = (
            (isinstance(value, float) and math.isnan(value) and isinstance(expected, float) and math.isnan(expected))
            or value == expected
        )
        return Verdict(same, _format_like(literal, value))
    if literal.exact:
        slack = Fraction(0) if kind != "float" else abs(expected) * Fraction(1, 10**9) + Fraction(1, 10**300)
    else:
        slack = literal.tolerance + abs(expected) * Fraction(1, 10**12)
    holds = abs(value - expected) <= slack
    if literal.style == "fraction" and kind == "float":
        return Verdict(holds, repr(computed["v"]))
    return Verdict(holds, _format_like(literal, value))


def _format_like(literal: Number, value: Fraction | float) -> str:
    """Write ``value`` in the notation of ``literal``, so that a message shows like against like."""
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("-inf" if value < 0 else "inf")
    if literal.style == "fraction":
        return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)
    if literal.style == "percent":
        return f"{float(value * 100):.{literal.decimals}f}%"
    if literal.style == "scientific":
        mantissa = float(value / Fraction(10) ** literal.exponent)
        return f"{mantissa:.{literal.decimals}f}e{literal.exponent}"
    if literal.style == "special":
        return _plain_decimal(value, 6)
    text = f"{float(value):.{literal.decimals}f}" if value.denominator != 1 or literal.decimals else str(value.numerator)
    if literal.style == "grouped":
        whole, dot, fraction = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        grouped = f"{int(whole.lstrip('-')):,}".replace(",", literal.separator)
        text = sign + grouped + dot + fraction
    return text


def _plain_decimal(value: Fraction, digits: int) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.{digits}g}"
