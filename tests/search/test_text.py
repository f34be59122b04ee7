"""readable_search's transforms: TeX as text, page HTML with its breaks as spaces, numbers both ways."""

from __future__ import annotations

import re

import pytest

from readable_search import number_variants, searchable_html, tex_to_text

TEX_LEFT = re.compile(r"\\|[_^]\{")  # a command or delimiter, or a braced sub- or superscript


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\(z_1\)", "z1"),
        (r"\(\partial L/\partial z_1\)", "∂L/∂z1"),
        (r"\(k =\)", "k ="),
        (r"\(\hat y = w_1 v_1 + w_2 v_2 + a\)", "ŷ = w1 v1 + w2 v2 + a"),
        (r"\(\dfrac{\partial L}{\partial \hat y}\)", "∂L/∂ŷ"),
        (r"\[ H' = \left\lfloor \frac{H - k + 2P}{S} \right\rfloor + 1 \]", "H′ = ⌊(H - k + 2P)/S⌋ + 1"),
        (r"\((N-2)^2 =\)", "(N-2)² ="),
        (r"\(x_{i+3}\)", "xᵢ₊₃"),
        (r"\(x_{n-d+j}\)", "x(n-d+j)"),
        (r"\(v_1 = \max\{z_1, z_2, 0\}\)", "v1 = max{z1, z2, 0}"),
        (r"\(\text{if } z_1 > 0 \text{ and } z_1 \geq z_2\)", "if z1 > 0 and z1 ≥ z2"),
        (r"\[\begin{bmatrix} 255 & 0 \\ 0 & \dfrac{425}{3} \end{bmatrix}\]", "[255 0; 0 425/3]"),
        (r"\(\sum_{j=1}^{3} k_j x_{i+j-1} + b\)", "Σⱼ₌₁³ kj xᵢ₊ⱼ₋₁ + b"),
        (r"\(96 \cdot k^2 \cdot 10 + 96\)", "96 · k² · 10 + 96"),
        (r"\(195 \le 205 - k \le 197\)", "195 ≤ 205 - k ≤ 197"),
        (r"\(H(\omega) = (1 + 2\cos\omega)/3\)", "H(ω) = (1 + 2cos ω)/3"),
        (r"\(a \leftarrow a + w x\)", "a ← a + w x"),
        (r"\(z = T x + b\,\mathbf{1}\)", "z = T x + b 1"),
        (r"\(T_{i,\,i+j-1} = k_j\)", "T(i, i+j-1) = kj"),
        (r"\(\mathrm{CONV}k\text{-}N(S,P)\)", "CONVk-N(S,P)"),
        (r"$x^{\top}$", "xᵀ"),
        (r"\(\partial \hat y\)", "∂ŷ"),
        (r"\(\frac{1}{9}\)", "1/9"),
    ],
)
def test_tex_reads_as_text(tex: str, text: str) -> None:
    assert tex_to_text(tex) == text


@pytest.mark.parametrize(
    "tex",
    [r"\(\unknowncommand{x}\)", r"\(\begin{gathered} a \\ b \end{gathered}\)", r"\(\{ \}\)", r"\(a_{\text{in}}\)", r"\(\left. x \right|\)"],
)
def test_no_backslash_or_brace_of_tex_is_left(tex: str) -> None:
    assert TEX_LEFT.search(tex_to_text(tex)) is None, tex_to_text(tex)


def test_formulas_in_a_page_become_text_and_code_stays_as_written() -> None:
    page = (
        '<p>Ties go to <span class="arithmatex">\\(z_1 &lt; z_2\\)</span>.</p>'
        '<div class="arithmatex">\\[\\frac{a}{b}\\]</div>'
        "<pre><code>x = r'\\(z_1\\)'</code></pre>"
        "<p><code>$kernel_size$</code></p>"
    )
    readable = re.sub(r"\s+", " ", searchable_html(page))
    assert '<span class="arithmatex">z1 &lt; z2</span>' in readable
    assert '<div class="arithmatex"> a/b </div>' in readable
    assert "<pre><code>x = r'\\(z_1\\)'</code></pre>" in readable  # code is shown as written, so searched as written
    assert "<code>$kernel_size$</code>" in readable


def test_line_breaks_and_cell_boundaries_separate_words_but_preformatted_text_is_untouched() -> None:
    page = (
        "<p><strong>Severity:</strong> imprecise.<br><strong>Where:</strong> §1.2</p>"
        "<table><tr><td>a</td><td>b</td></tr></table><pre>x<br>y</pre>"
    )
    readable = searchable_html(page)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", readable))
    assert "imprecise. Where:" in text
    assert re.search(r"\ba b\b", text)
    assert "<pre>x<br>y</pre>" in readable


@pytest.mark.parametrize(
    ("text", "variants"),
    [
        ("The layer has 96,096 parameters.", ["96096"]),
        ("96096 of them", ["96,096"]),
        ("418,176,000 multiplications, and 1,820 and 3,910", ["418176000", "1820", "3910"]),
        ("1,234.5 and 12345.678", ["1234.5", "12,345.678"]),
        ("small numbers 7, 42, 999, 0.75 and 3.14159 have no other form", []),
        ("96,096 twice: 96,096", ["96096"]),
        ("a list 1,2,3 is not a number", []),
    ],
)
def test_numbers_are_given_in_the_other_form(text: str, variants: list[str]) -> None:
    assert number_variants(text) == variants
