"""Splitting inline code into expression and claim; reading block options."""

from __future__ import annotations

import pytest

from reckon.page.inline import InlineSplit, split_inline
from reckon.page.options import page_defaults, parse_options, read_defaults
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
    block = block_of(
        '```{python}\n#| echo: fold\n#| output: asis\n#| label: fig-a\n#| fig-cap: "A `{python} 1` caption"\n'
        "#| fig-alt: An image\nx = 1\n#| not an option any more\n```\n"
    )
    options = parse_options(block, "docs/p.md")
    assert (options.echo, options.output, options.label, options.lines) == ("fold", "asis", "fig-a", 5)
    assert options.fig_cap is not None and options.fig_cap.text == "A `{python} 1` caption"
    assert (options.fig_cap.line, options.fig_cap.col) == (5, 14)
    assert options.fig_alt is not None and options.fig_alt.text == "An image"
    assert options.problems == ()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("#| ecco: false", "did you mean `echo`?"),
        ("#| fig-widht: 4", "did you mean `fig-width`?"),
        ("#| results: asis", "use `output: asis`"),
        ("#| cache: true", "reckon always caches a page's results by its code"),
        ("#| fig-align: center", "unknown option `fig-align` (a Quarto option that reckon does not have)"),
        ("#| echo: maybe", "`echo: maybe` is not valid; use one of `true`, `false`, `fold`, `fenced`"),
        ("#| label: fig-", "the label `fig-` is not valid"),
        ("#| label: tbl-a-", "the label `tbl-a-` is not valid"),
        ("#| eval: perhaps", "`eval: perhaps` is not valid; use one of `true`, `false`"),
        ("#| code-fold: open", "`code-fold: open` is not valid; use one of `true`, `false`, `show`"),
        ("#| output: loud", "`output: loud` is not valid"),
        ("#| fig-width: wide", "`fig-width: wide` is not valid; use a number of inches"),
        ("#| fig-height: 0", "`fig-height: 0` is not valid"),
        ("#| fig-height: -3", "`fig-height: -3` is not valid"),
        ("#| fig-width: 1e9", "`fig-width: 1e9` is not valid"),
        ("#| fig-width: nan", "`fig-width: nan` is not valid"),
        ("#| label: 1st-figure", "the label `1st-figure` is not valid"),
        ("#| label: figure one", "the label `figure one` is not valid"),
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


def test_a_repeated_option_is_reported() -> None:
    options = parse_options(block_of("```{python}\n#| echo: false\n#| echo: true\n```\n"), "docs/p.md")
    assert [problem.message for problem in options.problems] == ["the option `echo` is given twice"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("", {"eval": True, "echo": "true", "code_fold": "false", "output": "true", "include": True, "warning": True, "error": False}),
        ("#| eval: false", {"eval": False}),
        ("#| eval: FALSE", {"eval": False}),
        ("#| eval: no", {"eval": False}),
        ("#| eval: 'false'", {"eval": False}),
        ('#| eval: "False"', {"eval": False}),
        ("#| eval: false  # not yet", {"eval": False}),
        ("#| echo: off", {"echo": "false"}),
        ("#| echo: Yes", {"echo": "true"}),
        ("#| echo: fold", {"echo": "fold"}),
        ("#| code-fold: show\n#| code-summary: The code, folded", {"code_fold": "show", "code_summary": "The code, folded"}),
        ("#| output: ASIS", {"output": "asis"}),
        ("#| include: false", {"include": False}),
        ("#| warning: false", {"warning": False}),
        ("#| error: true", {"error": True}),
        ("#| fig-width: 3.5\n#| fig-height: 2", {"fig_width": 3.5, "fig_height": 2.0}),
        ("#| label: tbl-layers\n#| tbl-cap: Layers", {"label": "tbl-layers"}),
        ("#| label: setup", {"label": "setup"}),
        ("#|echo:false", {"echo": "false"}),
    ],
)
def test_quarto_options_are_read_with_quartos_spellings(lines: str, expected: dict[str, object]) -> None:
    options = parse_options(block_of(f"```{{python}}\n{lines}\nx = 1\n```\n"), "docs/p.md")
    assert options.problems == ()
    assert {name: getattr(options, name) for name in expected} == expected
    assert options.lines == (lines.count("\n") + 1 if lines else 0)


@pytest.mark.parametrize(
    ("lines", "source", "shows_output"),
    [
        ("", "shown", True),
        ("#| echo: false", "hidden", True),
        ("#| echo: fold", "folded", True),
        ("#| code-fold: true", "folded", True),
        ("#| code-fold: show", "open", True),
        ("#| echo: false\n#| code-fold: true", "hidden", True),  # as in Quarto: no source, nothing to fold
        ("#| output: false", "shown", False),
        ("#| include: false", "hidden", False),
        ("#| include: false\n#| echo: true", "hidden", False),
        ("#| echo: fenced", "fenced", True),
    ],
)
def test_how_source_and_output_show(lines: str, source: str, shows_output: bool) -> None:
    options = parse_options(block_of(f"```{{python}}\n{lines}\nx = 1\n```\n"), "docs/p.md")
    assert (options.source, options.shows_output) == (source, shows_output)


def test_a_blocks_options_win_over_the_defaults_it_is_given() -> None:
    defaults, problems = read_defaults({"echo": False, "warning": "no", "fig-width": 3})
    assert problems == []
    assert defaults == {"echo": "false", "warning": False, "fig-width": 3.0}
    options = parse_options(block_of("```{python}\n#| echo: fold\nx = 1\n```\n"), "docs/p.md", defaults)
    assert (options.echo, options.warning, options.fig_width) == ("fold", False, 3.0)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"ecco": False}, "unknown option `ecco` in `execute` (did you mean `echo`?)"),
        ({"label": "fig-a"}, "`label` is an option of a single block (`#| label: …`), not a default"),
        ({"fig-cap": "A"}, "`fig-cap` is an option of a single block"),
        ({"eval": "maybe"}, "`eval: maybe` is not valid; use one of `true`, `false`"),
        ({"echo": ["a"]}, "`execute: echo` must be a single value"),
        ({"echo": None}, "`execute: echo` must be a single value"),
    ],
)
def test_bad_defaults_are_reported_by_key(mapping: dict[str, object], message: str) -> None:
    defaults, problems = read_defaults(mapping)
    assert defaults == {}
    [(key, text)] = problems
    assert key == next(iter(mapping))
    assert text.startswith(message)


def test_defaults_that_are_not_a_mapping_are_reported() -> None:
    assert read_defaults(["echo"]) == ({}, [(None, "`execute` must be a mapping of options to values, like `execute: {echo: false}`")])


FRONT_MATTER = """\
---
title: A page
execute:
  echo: false
  warning: FALSE
code-fold: true
fig-width: 4
---

# A page
"""


def test_the_front_matter_gives_a_pages_defaults_over_the_sites() -> None:
    first_line = FRONT_MATTER.split("\n").index("# A page") + 1
    defaults, problems = page_defaults(FRONT_MATTER, first_line, "docs/p.md", {"echo": "fold", "error": True})
    assert problems == []
    assert defaults == {"echo": "false", "warning": False, "code-fold": "true", "fig-width": 4.0, "error": True}


@pytest.mark.parametrize(
    ("front_matter", "line", "message"),
    [
        ("execute:\n  ech: false\n", 3, "front matter: unknown option `ech` in `execute` (did you mean `echo`?)"),
        ("title: x\nexecute:\n  eval: sometimes\n", 4, "front matter: `eval: sometimes` is not valid"),
        ("execute: false\n", 2, "front matter: `execute` must be a mapping of options to values"),
        ("execute:\n  echo: [a, b]\n", 3, "front matter: `echo` must be a single value"),
        ("execute:\n  label: fig-a\n", 3, "front matter: `label` is an option of a single block"),
        ("fig-width: 4\nexecute:\n  fig-width: 5\n", 4, "front matter: `fig-width` is given twice (at the top level and in `execute`)"),
    ],
)
def test_bad_front_matter_defaults_are_reported_at_their_line(front_matter: str, line: int, message: str) -> None:
    source = f"---\n{front_matter}---\n\n# Page\n"
    first_line = source.split("\n").index("# Page") + 1
    _defaults, problems = page_defaults(source, first_line, "docs/p.md")
    assert [(problem.line, problem.message[: len(message)]) for problem in problems] == [(line, message)]


def test_a_page_without_front_matter_has_the_sites_defaults() -> None:
    assert page_defaults("# Page\n\nexecute:\n  echo: x\n", 1, "docs/p.md", {"echo": "false"}) == ({"echo": "false"}, [])
