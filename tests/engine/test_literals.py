"""Claim literals: every kind DESIGN.md lists reads back as its value, with the precision written."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from reckon.page.verify import LiteralError, Number, NumberSequence, NumberSet, Shape, check_claim, parse_literal
from reckon.run.comparable import to_comparable


@pytest.mark.parametrize(
    ("text", "value", "tolerance"),
    [
        ("96,096", Fraction(96096), Fraction(1, 2)),
        ("418,176,000", Fraction(418176000), Fraction(1, 2)),
        ("96096", Fraction(96096), Fraction(1, 2)),
        ("-3", Fraction(-3), Fraction(1, 2)),
        ("\u22123", Fraction(-3), Fraction(1, 2)),  # the Unicode minus sign
        ("141.67", Fraction(14167, 100), Fraction(1, 200)),
        ("0.5", Fraction(1, 2), Fraction(1, 20)),
        (".25", Fraction(1, 4), Fraction(1, 200)),
        ("1,234.5", Fraction(12345, 10), Fraction(1, 20)),
        ("96\u202f096", Fraction(96096), Fraction(1, 2)),  # a narrow no-break space as separator
        ("425/3", Fraction(425, 3), Fraction(0)),
        ("12.5%", Fraction(1, 8), Fraction(1, 2000)),
        ("50 %", Fraction(1, 2), Fraction(1, 200)),
        ("4.18e8", Fraction(418000000), Fraction(500000)),
        ("4.18E8", Fraction(418000000), Fraction(500000)),
        ("1.5e-3", Fraction(15, 10000), Fraction(5, 100000)),
        ("4.18×10^8", Fraction(418000000), Fraction(500000)),
        ("4.18 × 10^{8}", Fraction(418000000), Fraction(500000)),
        ("4.18 × 10⁸", Fraction(418000000), Fraction(500000)),
        ("2 \\times 10^{-3}", Fraction(2, 1000), Fraction(5, 10000)),
    ],
)
def test_numbers_read_as_their_value_with_half_a_unit_of_the_last_digit(text: str, value: Fraction, tolerance: Fraction) -> None:
    literal = parse_literal(text)
    assert isinstance(literal, Number)
    assert literal.value == value
    assert literal.tolerance == tolerance


def test_shapes_sets_and_tuples() -> None:
    assert parse_literal("6×6×20") == Shape("6×6×20", (6, 6, 20), "×")
    assert parse_literal("6x6x20").dims == (6, 6, 20)  # type: ignore[union-attr]
    assert parse_literal("32 \\times 32 \\times 3").dims == (32, 32, 3)  # type: ignore[union-attr]
    members = parse_literal("{8, 9, 10}")
    assert isinstance(members, NumberSet) and [item.value for item in members.items] == [8, 9, 10]
    assert [item.value for item in parse_literal("{8,9,10}").items] == [8, 9, 10]  # type: ignore[union-attr]
    sequence = parse_literal("(1, 2.5, -3)")
    assert isinstance(sequence, NumberSequence) and [item.value for item in sequence.items] == [1, Fraction(5, 2), -3]
    assert [item.value for item in parse_literal("(1,234)").items] == [1234]  # type: ignore[union-attr]
    assert [item.value for item in parse_literal("(5,)").items] == [5]  # type: ignore[union-attr]
    assert [item.value for item in parse_literal("[1, 2]").items] == [1, 2]  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["", "abc", "96,09", "1,2345", "6×", "{1, x}", "1/0", "12..5", "--3", "CONV3-10"])
def test_unreadable_literals_say_what_is_expected(text: str) -> None:
    with pytest.raises(LiteralError) as caught:
        parse_literal(text)
    assert "`" in str(caught.value) or "nothing after" in str(caught.value)


@pytest.mark.parametrize(
    ("literal", "value", "holds"),
    [
        ("141.67", 425 / 3, True),  # DESIGN.md's own example
        ("141.6", 425 / 3, False),
        ("141.7", 425 / 3, True),
        ("113.33", 340 / 3, True),
        ("96,096", 96 * 1000 + 96, True),
        ("96,000", 96 * 1000 + 96, False),
        ("96,096", 96096.4, True),  # an integer claims the units digit
        ("96,096", 96096.6, False),
        ("425/3", 425 / 3, True),  # a float within 1e-9 of the fraction
        ("425/3", Fraction(425, 3), True),
        ("425/3", Fraction(424, 3), False),
        ("425/3", 141.67, False),  # a fraction claims more than two decimals
        ("12.5%", 0.125, True),
        ("12.5%", 12.5, False),  # a percentage is the ratio, not the number of percent
        ("4.18e8", 418_176_000, True),
        ("4.19e8", 418_176_000, False),
        ("6×6×20", (6, 6, 20), True),
        ("6×6×20", [6, 6, 20], True),
        ("6×6×20", np.array([6, 6, 20]), True),
        ("6×6×20", (6, 20, 6), False),
        ("6×6×20", (6, 6), False),
        ("{8, 9, 10}", [10, 9, 8], True),
        ("{8, 9, 10}", {8, 9, 10}, True),
        ("{8, 9, 10}", [8, 9], False),
        ("{8, 9, 10}", [8, 9, 10, 11], False),
        ("(1, 2.5)", (1, 2.5), True),
        ("(1, 2.5)", (2.5, 1), False),
        ("inf", math.inf, True),
        ("-inf", math.inf, False),
        ("nan", math.nan, True),
        ("5", math.nan, False),
        ("5", math.inf, False),
        ("7", np.int64(7), True),
        ("0.5", np.float32(0.5), True),
        ("1", True, False),  # a bool is not a number to a claim
        ("96,096", "96,096", True),  # a string is compared as the text the page shows
        ("96,096", "96096", False),
    ],
)
def test_claims_hold_to_the_precision_written(literal: str, value: object, holds: bool) -> None:
    assert check_claim(literal, to_comparable(value)).holds is holds


def test_a_false_claim_reports_the_computed_value_in_the_literals_notation() -> None:
    assert check_claim("96,000", to_comparable(96096)).computed == "96,096"
    assert check_claim("141.6", to_comparable(425 / 3)).computed == "141.7"
    assert check_claim("12.0%", to_comparable(0.125)).computed == "12.5%"
    assert check_claim("6×6×21", to_comparable((6, 6, 20))).computed == "6×6×20"
    assert check_claim("425/3", to_comparable(Fraction(424, 3))).computed == "424/3"


def test_values_that_are_no_number_are_kept_as_their_type() -> None:
    comparable = to_comparable(object())
    assert comparable["t"] == "other" and comparable["type"] == "object"
    assert not check_claim("5", comparable).holds
    assert to_comparable(np.float64(2.5)) == {"t": "float", "v": 2.5}
    assert to_comparable(Fraction(1, 3)) == {"t": "fraction", "n": 1, "d": 3}
    assert to_comparable((1, np.int32(2))) == {"t": "seq", "items": [{"t": "int", "v": 1}, {"t": "int", "v": 2}]}


def test_comparables_are_plain_python_numbers_even_from_numpy_parts() -> None:
    import json

    exact = Fraction(np.int64(425), 3)
    assert type(exact.numerator).__name__ == "int64"  # what NumPy hands a Fraction
    for value in (exact, np.int64(3), np.float64(0.5), (np.int32(1), Fraction(np.int64(2), 3)), {np.int64(8)}):
        comparable = to_comparable(value)
        assert json.loads(json.dumps(comparable)) == comparable


@pytest.mark.parametrize(("text", "value"), [("4 × 10⁸", 4 * 10**8), ("6 × 10⁰", 6), ("2×10⁻³", Fraction(2, 1000))])
def test_an_integer_mantissa_times_ten_to_a_superscript_power_is_a_number_not_a_shape(text: str, value: Fraction) -> None:
    # "10⁸" counts as digits to str.isdigit, so this was read as a shape and int("10⁸") crashed the build.
    literal = parse_literal(text)
    assert isinstance(literal, Number) and literal.value == value
    assert check_claim(text, to_comparable(value)).holds
