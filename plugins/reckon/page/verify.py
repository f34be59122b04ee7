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

Computed values reach this module as *comparables* (:data:`reckon.wire.Comparable`, made in the
page process by :func:`reckon.run.comparable.to_comparable`): plain JSON data, so that a claim can
be re-checked against a cached result without running any code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from ..wire import NO_VALUE, Comparable, InlineResult, ProgramResult, exact_value

if TYPE_CHECKING:
    from .plan import PagePlan, PlannedInline

__all__ = [
    "Literal",
    "LiteralError",
    "Number",
    "NumberSequence",
    "NumberSet",
    "Shape",
    "Verdict",
    "check_claim",
    "describe_comparable",
    "parse_literal",
    "verify",
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
    split = _SHAPE_SPLIT_RE.search(stripped)
    if split is not None and all(part.isdecimal() for part in parts):  # not isdigit: "10⁸" is no dimension
        return Shape(stripped, tuple(int(part) for part in parts), split.group(0).strip())
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
        ratio = Fraction(_integer(match["num"]), denominator) * _sign(match["sign"])
        return Number(text, ratio, Fraction(0), exact=True, style="fraction")
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


def describe_comparable(item: Comparable) -> str:
    """How a computed value reads in a message: ``96096``, ``(6, 6, 20)``, ``'text'``."""
    if item["t"] == "other":
        return f"{item['repr']} (a {item['type']})"
    if item["t"] == "set":
        return "{" + ", ".join(describe_comparable(part) for part in item["items"]) + "}"
    if item["t"] == "seq":
        inner = ", ".join(describe_comparable(part) for part in item["items"])
        return "(" + inner + ("," if len(item["items"]) == 1 else "") + ")"
    if item["t"] == "fraction":
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


def check_claim(literal_text: str, computed: Comparable) -> Verdict:
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
            item["t"] in {"int", "float", "fraction"} and exact_value(item) == dim for item, dim in zip(items, literal.dims, strict=True)
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


def _check_number(literal: Number, computed: Comparable) -> Verdict:
    if computed["t"] == "bool":
        return Verdict(False, str(computed["v"]), "the code computes a bool, not a number")
    if computed["t"] != "int" and computed["t"] != "float" and computed["t"] != "fraction":
        return Verdict(False, describe_comparable(computed), "the code computes no single number")
    kind = computed["t"]
    value = exact_value(computed)
    expected = literal.value
    if isinstance(value, float) or isinstance(expected, float):  # nan or inf on either side
        same = (
            isinstance(value, float) and math.isnan(value) and isinstance(expected, float) and math.isnan(expected)
        ) or value == expected
        return Verdict(same, _format_like(literal, value))
    if literal.exact:
        slack = Fraction(0) if kind != "float" else abs(expected) * Fraction(1, 10**9) + Fraction(1, 10**300)
    else:
        slack = literal.tolerance + abs(expected) * Fraction(1, 10**12)
    holds = abs(value - expected) <= slack
    if literal.style == "fraction" and computed["t"] == "float":
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


# ---------------------------------------------------------------------------------------------
# A page's claims


@dataclass(frozen=True)
class ClaimCheck:
    """What became of one claim: whether it holds, and if not, the message and the column it is reported at."""

    holds: bool
    col: int
    message: str = ""


def verify(plan: PagePlan, result: ProgramResult | None) -> dict[int, ClaimCheck]:
    """Check every claim of ``plan`` whose expression gave a value, by the index of its cell.

    The one place claims are decided: against fresh or cached results alike, on every build.
    A claim whose expression raised, or did not run, has no entry (that failure is the cell's).
    """
    from .plan import PlannedBlock, PlannedInline

    checks: dict[int, ClaimCheck] = {}
    if result is None:
        return checks
    inlines = [item for item in plan.items if isinstance(item, PlannedInline)]
    for block in (item for item in plan.items if isinstance(item, PlannedBlock)):
        inlines += [part for part in (*block.caption, *block.alt) if isinstance(part, PlannedInline)]
    for item in inlines:
        index = item.cell
        if index is None or index >= len(result.cells) or item.split.literal is None:
            continue
        cell = result.cells[index]
        if isinstance(cell, InlineResult) and cell.error is None:
            checks[index] = _check(item, cell)
    return checks


def _check(item: PlannedInline, result: InlineResult) -> ClaimCheck:
    split = item.split
    literal = split.literal or ""
    column = item.segment.code_col + split.literal_offset
    computed_value = result.comparable or NO_VALUE
    try:
        verdict = check_claim(literal, computed_value)
    except LiteralError as error:
        return ClaimCheck(False, column, str(error))
    if verdict.holds:
        return ClaimCheck(True, column)
    plain = describe_comparable(computed_value)
    computed = verdict.computed if verdict.computed == plain else f"{verdict.computed} ({plain})"
    reason = f"; {verdict.reason}" if verdict.reason else ""
    return ClaimCheck(False, column, f"claim is false: the page says {literal}, but `{split.expression}` is {computed}{reason}")
