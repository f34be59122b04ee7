"""Quarto's options with Quarto's meaning, on pages run in real page processes (without MkDocs)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from reckon.page.assemble import RenderedPage
from reckon.wire import BlockResult, CellError, ProgramResult

Render = Callable[..., RenderedPage]


def messages(page: RenderedPage) -> list[str]:
    return [str(diagnostic) for diagnostic in page.diagnostics]


def writes(path: Path) -> str:
    return f"open({str(path)!r}, 'w').write('ran')"


def test_eval_false_shows_the_code_and_never_runs_it(render: Render, tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    page = render(f"```{{python}}\n#| eval: false\n{writes(marker)}\nprint('hello')\n```\n")
    assert not marker.exists()
    assert f"```python\n{writes(marker)}\nprint('hello')\n```" in page.markdown
    assert "hello\n```" not in page.markdown.split("print('hello')")[1]
    assert page.diagnostics == []


def test_a_later_block_needing_what_eval_false_left_undefined_fails_at_its_line_saying_why(render: Render) -> None:
    page = render("```{python}\n#| eval: false\nsize = 3\n```\n\n```{python}\nprint(size * 2)\n```\n")
    assert messages(page) == [
        "docs/page.md:7:7: NameError: name 'size' is not defined (the block at line 1 defines it, but does not run: `eval: false`)"
    ]


@pytest.mark.parametrize("bad", ["#| ech: false", "#| eval: flase", "#| echo: false\n#| echo: fold", "#|no colon", "#| fig-width: wide"])
def test_a_block_with_a_bad_option_never_runs_and_says_so(render: Render, tmp_path: Path, bad: str) -> None:
    marker = tmp_path / "ran.txt"
    page = render(f"```{{python}}\n{bad}\n{writes(marker)}\n```\n\nAfter: `{{python}} 1 + 1`.\n")
    assert not marker.exists()
    [problem] = page.diagnostics
    assert problem.line == 2 + bad.count("\n")
    assert '!!! warning "Not run"\n\n    This block did not run: its options are wrong (see the top of the page).' in page.markdown
    assert writes(marker) in page.markdown  # the author sees what did not run
    assert "After: 2." in page.markdown  # the rest of the page still runs


def test_a_name_defined_by_a_badly_optioned_block_fails_where_it_is_used(render: Render) -> None:
    page = render("```{python}\n#| ecco: false\nsize = 3\n```\n\nIt is `{python} size`.\n")
    assert messages(page)[1] == (
        "docs/page.md:6:17: `size` raised NameError: name 'size' is not defined "
        "(the block at line 1 defines it, but does not run: its options are wrong)"
    )


def test_include_false_runs_the_block_and_shows_nothing_of_it(render: Render, tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    page = render(
        f"```{{python}}\n#| include: false\n{writes(marker)}\nprint('printed')\n"
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])\n'value'\n```\n"
    )
    assert marker.read_text() == "ran"
    assert page.markdown.strip() == ""  # neither code, nor output, nor value, nor figure
    assert page.files == {}
    assert page.diagnostics == []  # no figure drawn, so none lacks alt text


def test_code_fold_folds_the_source_closed_or_open_with_its_summary(render: Render) -> None:
    folded = render("```{python}\n#| code-fold: true\n#| code-summary: How it is computed\nx = 1\n```\n").markdown
    assert '??? example reckon-source "How it is computed"\n\n    ```python\n    x = 1\n    ```' in folded
    shown = render("```{python}\n#| code-fold: show\nx = 1\n```\n").markdown
    assert '???+ example reckon-source "Source"\n\n    ```python\n    x = 1\n    ```' in shown


def test_warnings_are_shown_in_the_page_by_default_and_do_not_fail(render: Render) -> None:
    page = render("```{python}\n#| echo: false\nimport warnings\nwarnings.warn('mind the gap')\nprint('after')\n```\n")
    assert page.diagnostics == []
    assert '!!! warning "Warning"\n\n    ```text\n    docs/page.md:4: UserWarning: mind the gap\n    ```' in page.markdown
    assert "```text\nafter\n```" in page.markdown  # not mixed into the printed output


def test_warning_false_hides_the_blocks_warnings_and_only_its_own(render: Render) -> None:
    code = "import numpy as np\nnp.log(0.0)"
    page = render(f"```{{python}}\n#| warning: false\n{code}\n```\n\n```{{python}}\n{code}\n```\n")
    assert page.diagnostics == []
    assert page.markdown.count("RuntimeWarning: divide by zero encountered in log") == 1
    assert "docs/page.md:9: RuntimeWarning" in page.markdown


def test_warning_filters_a_page_sets_hold_for_its_later_blocks(render: Render) -> None:
    page = render("```{python}\nimport warnings\nwarnings.simplefilter('ignore')\n```\n\n```{python}\nwarnings.warn('hidden')\n```\n")
    assert "hidden" not in page.markdown.replace("warnings.warn('hidden')", "")


def test_many_warnings_are_bounded(render: Render) -> None:
    page = render("```{python}\nimport warnings\nfor i in range(500):\n    warnings.warn(f'number {i}')\n```\n")
    assert "number 19" in page.markdown
    assert "number 20" not in page.markdown
    assert "… and 480 more warnings not shown" in page.markdown


def test_error_true_shows_the_exception_and_the_page_goes_on(render: Render) -> None:
    page = render("```{python}\n#| error: true\nprint('before')\n1 / 0\n```\n\n```{python}\nprint('next block ran')\n```\n")
    assert page.diagnostics == []
    assert "```text\nbefore\n```" in page.markdown
    assert re.search(
        r"```pytb\nTraceback \(most recent call last\):\n.*line 4.*ZeroDivisionError: division by zero\n```", page.markdown, re.DOTALL
    )
    assert "next block ran" in page.markdown
    assert page.stats.failures == 0


def test_error_true_shows_a_syntax_error_too(render: Render) -> None:
    page = render("```{python}\n#| error: true\ndef broken(:\n```\n")
    assert page.diagnostics == []
    assert '```pytb\n  File "docs/page.md", line 3\n    def broken(:\n               ^\nSyntaxError: invalid syntax\n```' in page.markdown


def test_an_exception_fails_by_default(render: Render) -> None:
    page = render("```{python}\n1 / 0\n```\n")
    assert messages(page) == ["docs/page.md:2:1: ZeroDivisionError: division by zero"]


def test_fig_width_and_fig_height_size_the_blocks_figures_in_inches(render: Render) -> None:
    figure = "#| fig-alt: A line\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])"
    page = render(
        f"```{{python}}\n#| fig-width: 3.5\n#| fig-height: 2\n{figure}\n```\n\n"
        f"```{{python}}\n#| fig-height: 3\n{figure}\n```\n\n```{{python}}\n{figure}\n```\n"
    )
    assert page.diagnostics == []
    order = sorted(page.files, key=lambda uri: page.markdown.index(uri.rsplit("/", 1)[1]))
    sizes = [re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', page.files[uri].decode())[0] for uri in order]  # type: ignore[index]
    # 72 points an inch, one palette-aware file a figure; the default is 6 × 3.75 inches, and the next block starts from it again.
    assert sizes == ['width="252pt" height="144pt"', 'width="432pt" height="216pt"', 'width="432pt" height="270pt"']


def test_a_table_label_numbers_the_table_captions_it_and_references_link_to_it(render: Render) -> None:
    page = render(
        "```{python}\n#| label: tbl-layers\n#| tbl-cap: Layers, `{python} len(rows)` of them\nfrom reckon import Table\n"
        "rows = [('CONV3-10', 280), ('FC-10', 1810)]\nTable(rows, headers=['layer', 'parameters'])\n```\n\n"
        "As @tbl-layers shows; @tbl-none does not exist.\n"
    )
    assert (
        "| CONV3-10 | 280 |\n| FC-10 | 1,810 |\n\n/// caption | <\n    attrs: {id: tbl-layers}\n**Table 1.** Layers, 2 of them\n///"
        in page.markdown
    )
    assert "As [Table 1](#tbl-layers) shows" in page.markdown
    assert messages(page) == ["docs/page.md:9:23: `@tbl-none` refers to no table on this page (labels here: `tbl-layers`)"]


def test_a_table_label_captions_markdown_printed_as_is(render: Render) -> None:
    page = render("```{python}\n#| label: tbl-a\n#| output: asis\n#| echo: false\nprint('| a |\\n| - |\\n| 1 |')\n```\n")
    assert "| a |\n| - |\n| 1 |\n\n\n/// caption | <\n    attrs: {id: tbl-a}\n**Table 1.** \n///" in page.markdown


def test_a_table_label_on_a_block_that_shows_no_table_is_reported(render: Render) -> None:
    page = render("```{python}\n#| label: tbl-a\nx = 1\n```\n")
    assert messages(page) == [
        "docs/page.md:1: the block is labelled `tbl-a` but shows no table: end it with one (a `reckon.Table`, an array) "
        "or print one with `output: asis`"
    ]


def test_a_numbered_label_on_a_block_that_shows_nothing_is_reported(render: Render) -> None:
    page = render(
        "```{python}\n#| label: fig-a\n#| include: false\nx = 1\n```\n\n```{python}\n#| label: tbl-b\n#| eval: false\nx = 1\n```\n"
    )
    assert messages(page) == [
        "docs/page.md:1: the block is labelled `fig-a`, a numbered figure, but its output is not shown (`include: false`)",
        "docs/page.md:7: the block is labelled `tbl-b`, a numbered table, but it does not run (`eval: false`)",
    ]


def test_any_other_label_is_an_anchor(render: Render) -> None:
    page = render("```{python}\n#| label: setup-code\nx = 1\n```\n")
    assert '<span id="setup-code" class="reckon-anchor"></span>\n\n```python\nx = 1\n```' in page.markdown
    assert page.diagnostics == []


def test_echo_fenced_shows_the_block_as_written(render: Render) -> None:
    page = render("```{python}\n#| echo: fenced\n#| output: false\nx = 1\n```\n")
    assert page.markdown.strip() == "````markdown\n```{python}\n#| echo: fenced\n#| output: false\nx = 1\n```\n````"


def test_warnings_and_an_allowed_error_survive_the_cache_and_an_allowed_error_is_no_failure() -> None:
    raised = CellError("exception", 3, 1, "ValueError: expected", "Traceback ...")
    result = ProgramResult((BlockResult("out", warnings=("docs/p.md:2: UserWarning: w",), raised=raised),))
    assert ProgramResult.from_data(json.loads(json.dumps(result.to_data()))) == result
    assert not result.failed  # so it is cached like any result
    assert ProgramResult((BlockResult(error=raised),)).failed
