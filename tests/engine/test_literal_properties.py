"""Properties of claim literals: any supported way of writing a number reads back as that number,
and the tolerance follows the precision written (half a unit of the last digit).

Numbers are generated as exact integers and scales and written out here, digit by digit, in each
notation; the expected value and tolerance come from how the text was written, never from reckon.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from reckon.page.verify import Number, check_claim, parse_literal
from reckon.run.comparable import to_comparable

SEPARATORS = [",", "_", "\u2009", "\u202f", "\u00a0"]  # comma, underscore, thin, narrow no-break, no-break space
MINUS_SIGNS = ["-", "\u2212"]
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


@dataclass(frozen=True)
class Written:
    """A number as a page writes it, the value it means, and half a unit of its last digit."""

    text: str
    value: Fraction
    half_unit: Fraction


def group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    return separator.join([digits[:head]] + [digits[index : index + 3] for index in range(head, len(digits), 3)])


@st.composite
def decimals(draw: st.DrawFn) -> Written:
    """``96,096``, ``-141.67``, ``−0.5``, ``12.5%``, ``1 234.5 %``: at most ten significant digits."""
    places = draw(st.integers(0, 6))
    units = draw(st.integers(-(10**10) + 1, 10**10 - 1))
    whole, fraction = divmod(abs(units), 10**places)
    whole_text = str(whole)
    if whole >= 1000 and draw(st.booleans()):
        whole_text = group(whole_text, draw(st.sampled_from(SEPARATORS)))
    text = whole_text + (f".{fraction:0{places}d}" if places else "")
    if units < 0:
        text = draw(st.sampled_from(MINUS_SIGNS)) + text
    value, half_unit = Fraction(units, 10**places), Fraction(1, 2 * 10**places)
    if draw(st.booleans()):
        text += draw(st.sampled_from(["%", " %"]))
        value, half_unit = value / 100, half_unit / 100
    return Written(text, value, half_unit)


@st.composite
def scientific(draw: st.DrawFn) -> Written:
    """``4.18e8``, ``4.18E-3``, ``4.18×10^8``, ``4.18 x 10^{-3}``, ``4.18 × 10⁸``, ``4.18 \\times 10^8``, ``4.18·10^8``."""
    places = draw(st.integers(0, 4))
    mantissa_units = draw(st.integers(10**places, 10 ** (places + 1) - 1))  # one digit before the point
    exponent = draw(st.integers(-30, 30))
    whole, fraction = divmod(mantissa_units, 10**places)
    mantissa = str(whole) + (f".{fraction:0{places}d}" if places else "")
    style = draw(st.sampled_from(["e", "E", "×10^", " × 10^", "x10^", " \\times 10^", "·10^", "×10^{}", " × 10 superscript"]))
    if style in {"e", "E"}:
        text = f"{mantissa}{style}{exponent}"
    elif style == "×10^{}":
        text = f"{mantissa}×10^{{{exponent}}}"
    elif style == " × 10 superscript":
        text = f"{mantissa} × 10{str(exponent).translate(SUPERSCRIPTS)}"
    else:
        text = f"{mantissa}{style}{exponent}"
    sign = draw(st.sampled_from(["", *MINUS_SIGNS]))
    scale = Fraction(10) ** exponent
    value = Fraction(mantissa_units, 10**places) * scale * (-1 if sign else 1)
    return Written(sign + text, value, Fraction(1, 2 * 10**places) * scale)


@st.composite
def fractions(draw: st.DrawFn) -> Written:
    """``425/3``, ``−1 / 8``, ``1,000/7``: exact."""
    numerator = draw(st.integers(0, 10**7))
    denominator = draw(st.integers(1, 10**7))
    parts = []
    for number in (numerator, denominator):
        digits = str(number)
        parts.append(group(digits, ",") if number >= 1000 and draw(st.booleans()) else digits)
    sign = draw(st.sampled_from(["", *MINUS_SIGNS]))
    slash = draw(st.sampled_from(["/", " / "]))
    value = Fraction(numerator, denominator) * (-1 if sign and numerator else 1)
    return Written(f"{sign}{parts[0]}{slash}{parts[1]}", value, Fraction(0))


NUMBERS = st.one_of(decimals(), scientific())


@given(st.one_of(decimals(), scientific(), fractions()))
def test_a_number_written_any_supported_way_reads_back_as_itself(written: Written) -> None:
    literal = parse_literal(written.text)
    assert isinstance(literal, Number)
    assert literal.value == written.value
    assert check_claim(written.text, to_comparable(written.value)).holds


@given(NUMBERS, st.fractions(0, 1))
def test_a_value_within_half_a_unit_of_the_last_digit_written_holds(written: Written, share: Fraction) -> None:
    for direction in (1, -1):
        computed = written.value + direction * share * written.half_unit
        assert check_claim(written.text, to_comparable(computed)).holds, computed


@given(NUMBERS, st.fractions(Fraction(21, 20), 1000))
def test_a_value_beyond_half_a_unit_of_the_last_digit_written_fails(written: Written, multiple: Fraction) -> None:
    for direction in (1, -1):
        computed = written.value + direction * multiple * written.half_unit
        verdict = check_claim(written.text, to_comparable(computed))
        assert not verdict.holds, computed
        assert verdict.computed  # the message says what the code computed


@given(NUMBERS, st.floats(-0.999, 0.999))
def test_a_float_within_the_precision_written_holds(written: Written, share: float) -> None:
    computed = float(written.value) + share * float(written.half_unit)
    assert check_claim(written.text, to_comparable(computed)).holds, computed


@given(fractions(), st.integers(1, 10**6))
def test_a_fraction_claims_its_exact_value(written: Written, denominator: int) -> None:
    assert check_claim(written.text, to_comparable(float(written.value))).holds
    nudged = written.value + Fraction(1, 10**3 * denominator * (written.value.denominator + 1))
    assert not check_claim(written.text, to_comparable(nudged)).holds
