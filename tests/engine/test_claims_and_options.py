"""Splitting inline code into expression and claim; reading block options."""

from __future__ import annotations

import pytest

from reckon.page.inline import InlineSplit, split_inline
from reckon.page.options import parse_options
from reckon.page.scan import Block, scan_page


@pytest.mark.parametrize(
    ("code", "split"),
    [
        ("x", InlineSplit("x")),
        ("f(a=1)", InlineSplit("f(a=1)")),  # keyword arguments are not claims
        ("x == 1", InlineSplit("x == 1")),
        ("a <= b", InlineSplit("a <= b")),
        ("(y := 2)", InlineSplit("(y := 2)")),
        ('f"{x=}"', InlineSplit('f"{x=}"')),
        ("x = 5", InlineSplit("x", "5", 4)),
        ("n_params = 96,096", InlineSplit("n_params", "96,096", 11)),
        ("f(a=1) = 3", InlineSplit("f(a=1)", "3", 9)),
        ('d["a=b"] = 2', InlineSplit('d["a=b"]', "2", 11)),
        ("shape = 6×6×20", InlineSplit("shape", "6×6×20", 8)),
        ("ks = {8, 9, 10}", InlineSplit("ks", "{8, 9, 10}", 5)),
    ],
)
def test_the_first_top_level_single_equals_splits_a_claim(code: str, split: InlineSplit) -> None:
    assert split_inline(code) == split


def block_of(markdown: str) -> Block:
    return next(segment for segment in scan_page(markdown) if isinstance(segment, Block))


def test_options_are_read_and_their_lines_removed_from_the_code() -> None:
    block = block_of('```{python}\n#| echo: fold\n#| output: asis\n#| label: fig-a\n#| fig-cap: "A `{python} 1` caption"\n#| fig-alt: An image\nx = 1\n#| not an option any more\n```\n')
    options = parse_options(block, "docs/p.md")
    assert (options.echo, options.output, options.label, options.lines) == ("fold", "asis", "fig-a", 5)
    assert options.fig_cap is not None and options.fig_cap.text == "A `{python} 1` caption"
    assert (options.fig_cap.line, options.fig_cap.col) == (5, 14)
    assert options.fig_alt is not None and options.fig_alt.text == "An image"
    assert options.problems == ()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("#| eval: false", "unknown option `eval`"),
        ("#| ecco: false", "did you mean `echo`?"),
        ("#| code-fold: true", "use `echo: fold`"),
        ("#| echo: maybe", "`echo: maybe` is not valid; use one of `true`, `false`, `fold`"),
        ("#| output: yes", "`output: yes` is not valid"),
        ("#| label: figure-1", "the label `figure-1` is not valid"),
        ("#| just words", "cannot read the option line"),
    ],
)
def test_bad_options_are_reported_at_their_line(line: str, message: str) -> None:
    block = block_of(f"\n\n```{{python}}\n{line}\nx = 1\n```\n")
    options = parse_options(block, "docs/p.md")
    assert len(options.problems) == 1
    problem = options.problems[0]
    assert (problem.path, problem.line) == ("docs/p.md", 4)
    assert message in problem.message
    assert (options.echo, options.output) == ("true", "true")  # the block still runs, with defaults


def test_a_repeated_option_is_reported() -> None:
    options = parse_options(block_of("```{python}\n#| echo: false\n#| echo: true\n```\n"), "docs/p.md")
    assert [problem.message for problem in options.problems] == ["the option `echo` is given twice"]
    assert options.echo == "false"
