"""Formula (math with numbers) and Table, the helpers pages import from reckon."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from reckon import Formula, Table


def test_the_output_size_formula_with_symbols_numbers_and_value() -> None:
    formula = Formula("floor((H - k + 2*P) / S) + 1", H=16, k=3, P=2, S=3, name="H'")
    assert formula.value == (16 - 3 + 2 * 2) // 3 + 1 == 6
    assert formula.symbolic == r"\left\lfloor \frac{H - k + 2P}{S} \right\rfloor + 1"
    assert formula.substituted == r"\left\lfloor \frac{16 - 3 + 2 \times 2}{3} \right\rfloor + 1"
    assert formula.latex() == f"H' = {formula.symbolic} = {formula.substituted} = 6"
    assert formula._repr_markdown_() == f"$$\n{formula.latex()}\n$$"


def test_large_results_are_grouped_and_fractions_are_fractions() -> None:
    assert Formula("N * (k * k * D) + N", N=96, k=10, D=10).latex().endswith("= 96{,}096")
    assert Formula("a / b", a=Fraction(425), b=3).latex().endswith(r"= \tfrac{425}{3}")
    assert Formula("sqrt(x)", x=2).value == pytest.approx(math.sqrt(2))


def test_precedence_keeps_the_parentheses_the_meaning_needs() -> None:
    assert Formula("(a - b) * c", a=1, b=2, c=3).symbolic == r"\left( a - b \right) \cdot c"
    assert Formula("a - (b - c)", a=1, b=2, c=3).symbolic == r"a - \left( b - c \right)"
    assert Formula("a - b - c", a=1, b=2, c=3).symbolic == "a - b - c"
    assert Formula("x ** 2", x=-3).substituted == r"{\left( -3 \right)}^{2}"
    assert Formula("x ** 2", x=-3).value == 9


def test_symbols_names_with_subscripts_and_greek_letters() -> None:
    formula = Formula("alpha_1 * x_1 + H_out", alpha_1=1, x_1=2, H_out=3, symbols={"H_out": "H'"})
    assert formula.symbolic == r"\alpha_{1} \cdot x_{1} + H'"


def test_a_name_without_a_value_is_an_error() -> None:
    with pytest.raises(ValueError, match="no value for k"):
        Formula("H - k", H=1)


def test_a_table_aligns_numbers_right_and_groups_thousands() -> None:
    table = Table([("CONV3-10", 280, 2_764_800), ("FC-10", 1810, 1800)], headers=["layer", "parameters", "multiplications"])
    assert table._repr_markdown_() == (
        "| layer | parameters | multiplications |\n| :-- | --: | --: |\n| CONV3-10 | 280 | 2,764,800 |\n| FC-10 | 1,810 | 1,800 |"
    )


def test_a_table_from_mappings_and_cells_that_need_escaping() -> None:
    table = Table([{"a": "x|y", "b": Fraction(1, 3)}])
    assert table._repr_markdown_().splitlines()[2] == "| x\\|y | 1/3 |"
    with pytest.raises(ValueError, match="every row"):
        Table([(1, 2), (3,)])


def test_a_compound_base_keeps_its_parentheses_under_a_power() -> None:
    assert Formula("((1 + 2*c) / k)**2", c=1, k=3).symbolic == r"{\left( \frac{1 + 2c}{k} \right)}^{2}"
    assert Formula("(a * b)**2", a=2, b=3).symbolic == r"{\left( a \cdot b \right)}^{2}"
    assert Formula("floor(y)**2", y=1.5).symbolic == r"{\left\lfloor y \right\rfloor}^{2}"
    assert Formula("x**2", x=2).symbolic == "{x}^{2}"
