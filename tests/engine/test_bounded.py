"""Every value a page shows is bounded, whatever its kind (reckon.limits holds the bounds)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from reckon.limits import ARRAY_SUMMARY_THRESHOLD, TEXT_LIMIT, WARNINGS_LIMIT
from reckon.page.assemble import RenderedPage
from reckon.run.comparable import to_comparable
from reckon.run.values import bound, render_value
from reckon.wire import RenderedValue

Render = Callable[..., RenderedPage]
PAGE_BOUND = 100_000  # characters: a page with one huge value stays far below


def block(code: str) -> str:
    return "```{python}\n#| echo: false\n" + code + "\n```\n"


def test_a_million_element_array_is_numpys_summary(render: Render) -> None:
    page = render(block("import numpy as np\nx = np.linspace(0, 1, 1_000_000)\nx"))
    assert page.diagnostics == []
    assert len(page.markdown) < 1_000
    assert "```text\narray([0.000000e+00, 1.000001e-06, 2.000002e-06, ..., 9.999980e-01," in page.markdown


def test_an_array_is_summarised_even_where_the_page_asked_numpy_to_print_everything(render: Render) -> None:
    page = render(block("import sys\nimport numpy as np\nnp.set_printoptions(threshold=sys.maxsize)\nnp.arange(100_000)"))
    assert "..." in page.markdown
    assert len(page.markdown) < 1_000


def test_a_large_2d_array_is_summarised_and_a_wide_one_too(render: Render) -> None:
    tall = render(block("import numpy as np\nnp.zeros((400, 3), dtype=int)"))
    wide = render(block("import numpy as np\nnp.zeros((3, 400), dtype=int)"))
    for page in (tall, wide):
        assert "```text\narray([[0, 0, 0" in page.markdown
        assert "..." in page.markdown


def test_a_ten_megabyte_string_shows_its_beginning_in_a_code_block(render: Render) -> None:
    page = render(block("'# Title\\n' + 'x' * 10_000_000"))
    assert len(page.markdown) < TEXT_LIMIT + 1_000
    assert f"\n… {10_000_008 - TEXT_LIMIT:,} more characters not shown\n```" in page.markdown
    assert page.markdown.startswith("\n```text\n# Title\n")  # shown as text: cut Markdown could break the page


def test_a_huge_table_keeps_its_first_rows_and_says_how_many_it_left_out(render: Render) -> None:
    page = render(block("from reckon import Table\nTable([(i, i * i) for i in range(100_000)], headers=['n', 'square'])"))
    assert len(page.markdown) < TEXT_LIMIT + 1_000
    assert page.markdown.lstrip().startswith("| n | square |\n| --: | --: |\n| 0 | 0 |\n")
    left = re.search(r"\n\| \*… ([\d,]+) more rows not shown \(([\d,]+) characters\)\* \|\n", page.markdown)
    assert left is not None
    shown = page.markdown.count("\n| ") - 3  # rows shown, not counting the header, the rule and the notice
    assert int(left[1].replace(",", "")) == 100_000 - shown


def test_huge_markdown_printed_as_is_is_shown_as_text(render: Render) -> None:
    page = render("```{python}\n#| echo: false\n#| output: asis\nprint('```python')\nprint('x = 1\\n' * 100_000)\n```\n\nAfter.\n")
    assert len(page.markdown) < TEXT_LIMIT + 1_000
    assert "more characters of output not shown" in page.markdown
    assert page.markdown.startswith("\n````text\n```python\n")  # the fence it printed cannot swallow the page
    assert page.markdown.rstrip().endswith("After.")


def test_a_huge_exception_message_is_bounded_in_the_message_and_the_traceback(render: Render) -> None:
    page = render(block("raise ValueError('v' * 10_000_000)"))
    [diagnostic] = page.diagnostics
    assert len(diagnostic.message) < 1_100
    assert len(diagnostic.detail) < TEXT_LIMIT + 200
    assert len(page.markdown) < 3 * TEXT_LIMIT


def test_bound_leaves_what_fits_alone_and_cuts_what_does_not() -> None:
    small = RenderedValue("markdown", "**bold**")
    assert bound(small) is small
    formula = "$$\n" + "1 + " * 100 + "\n$$"
    cut = bound(RenderedValue("markdown", formula), limit=50)
    assert cut.kind == "code"
    assert cut.text == formula[:50] + f"\n… {len(formula) - 50:,} more characters not shown"


def test_bound_cuts_a_table_at_a_row() -> None:
    table = "| a |\n| -- |\n" + "\n".join(f"| {i} |" for i in range(100))
    cut = bound(RenderedValue("markdown", table), limit=40)
    assert cut.text.split("\n")[:5] == ["| a |", "| -- |", "| 0 |", "| 1 |", "| 2 |"]
    assert cut.text.split("\n")[-1].startswith("| *… 96 more rows not shown (")


def test_render_value_bounds_every_kind() -> None:
    class Huge:
        def _repr_markdown_(self) -> str:
            return "x" * 100_000

        def __repr__(self) -> str:
            return "y" * 100_000

    values = [Huge(), "z" * 100_000, list(range(100_000)), np.arange(100_000), np.zeros((150, 30))]
    for value in values:
        rendered = render_value(value)
        assert rendered is not None
        assert len(rendered.text) < TEXT_LIMIT + 200, type(value)


def test_a_sequence_too_long_to_claim_is_kept_small_for_the_cache() -> None:
    assert json.dumps(to_comparable(list(range(10)))).count(",") > 10  # short ones are compared member by member
    for value in (list(range(1_000_000)), np.arange(1_000_000), set(range(1_000_000))):
        comparable = to_comparable(value)
        assert comparable["t"] == "other"
        assert len(json.dumps(comparable)) < 400


def test_the_readme_states_the_limits_the_code_holds() -> None:
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    assert f"keep at most {TEXT_LIMIT:,} characters" in readme
    assert f"a NumPy array of more than {ARRAY_SUMMARY_THRESHOLD:,} elements is NumPy's own summary" in readme
    assert f"a block shows at most {WARNINGS_LIMIT} warnings" in readme
