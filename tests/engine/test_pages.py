"""Whole pages through the engine (plan, run in a page process, assemble), without MkDocs."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable

import pytest

from reckon.page.assemble import RenderedPage

Render = Callable[..., RenderedPage]


def messages(page: RenderedPage) -> list[str]:
    return [str(diagnostic) for diagnostic in page.diagnostics]


def test_values_render_by_type(render: Render) -> None:
    page = render(
        """\
        ```{python}
        import numpy as np
        np.array([[1, 2], [3, 4]])
        ```

        ```{python}
        from reckon import Table
        Table([("CONV3-10", 280)], headers=["layer", "parameters"])
        ```

        ```{python}
        "**bold** Markdown"
        ```

        ```{python}
        {"a": 1}
        ```

        ```{python}
        2 ** 10
        ```

        ```{python}
        hidden = 1;
        hidden
        ```
        """
    )
    assert page.diagnostics == []
    assert "\\begin{bmatrix}\n1 & 2 \\\\\n3 & 4\n\\end{bmatrix}" in page.markdown
    assert "| layer | parameters |\n| :-- | --: |\n| CONV3-10 | 280 |" in page.markdown
    assert "\n**bold** Markdown\n" in page.markdown
    assert "```text\n{'a': 1}\n```" in page.markdown
    assert "\n1024\n" in page.markdown


def test_a_trailing_semicolon_hides_the_value(render: Render) -> None:
    page = render("```{python}\n#| echo: false\n41 + 1;\n```\n")
    assert "42" not in page.markdown


def test_printed_output_and_the_output_option(render: Render) -> None:
    shown = render("```{python}\n#| echo: false\nprint('hello')\n```\n")
    hidden = render("```{python}\n#| echo: false\n#| output: false\nprint('hello')\n'value'\n```\n")
    asis = render("```{python}\n#| echo: false\n#| output: asis\nprint('| a |\\n|---|\\n| 1 |')\n```\n")
    assert "```text\nhello\n```" in shown.markdown
    assert "hello" not in hidden.markdown and "value" not in hidden.markdown
    assert "| a |\n|---|\n| 1 |" in asis.markdown and "```text" not in asis.markdown


def test_echo_shows_folds_or_hides_the_source_without_its_options(render: Render) -> None:
    code = "```{python}\n#| echo: %s\nx = 1\n```\n"
    assert "```python\nx = 1\n```" in render(code % "true").markdown
    folded = render(code % "fold").markdown
    assert '??? example reckon-source "Source"\n\n    ```python\n    x = 1\n    ```' in folded
    assert "x = 1" not in render(code % "false").markdown
    assert "#|" not in render(code % "true").markdown


def test_one_namespace_per_page_in_page_order(render: Render) -> None:
    page = render("```{python}\nx = 2\n```\n\nx is `{python} x`; then\n\n```{python}\nx = x * 21\n```\n\nnow `{python} x`.\n")
    assert "x is 2; then" in page.markdown and "now 42." in page.markdown


def test_an_exception_names_the_markdown_line_that_raised(render: Render) -> None:
    page = render("# Title\n\n```{python}\nx = 1\ny = x / 0\n```\n\nAfter: `{python} x`\n", first_line=5)
    assert messages(page) == ["docs/page.md:9:5: ZeroDivisionError: division by zero"]
    traceback = page.diagnostics[0].detail
    assert 'File "docs/page.md", line 9, in <module>' in traceback
    assert "y = x / 0" in traceback  # the Markdown line itself
    assert "<string>" not in traceback and "reckon" not in traceback
    assert "!!! failure" in page.markdown  # shown in the page too
    assert "not run" in page.markdown  # what came after did not run


def test_an_exception_inside_a_function_points_at_both_lines(render: Render) -> None:
    page = render("```{python}\ndef f(n):\n    return [1][n]\n```\n\n```{python}\nf(3)\n```\n")
    detail = page.diagnostics[0].detail
    assert "line 7, in <module>" in detail and "line 3, in f" in detail
    assert str(page.diagnostics[0]).startswith("docs/page.md:3:")  # the deepest page line


def test_syntax_errors_in_blocks_and_inline_code(render: Render) -> None:
    page = render("Value: `{python} 1 +`\n\n```{python}\nx = (\n```\n")
    found = messages(page)
    assert found[0].startswith("docs/page.md:1:") and "cannot read `1 +`" in found[0]
    assert found[1].startswith("docs/page.md:4:") and "SyntaxError" in found[1]


def test_an_inline_expression_that_raises_is_reported_at_its_column(render: Render) -> None:
    line = "The value `{python} undefined_name + 1` here."
    page = render("First line.\n" + line + "\n")
    column = line.index("undefined_name") + 1
    assert messages(page) == [f"docs/page.md:2:{column}: `undefined_name + 1` raised NameError: name 'undefined_name' is not defined"]
    assert 'class="reckon-error"' in page.markdown


def test_true_claims_render_as_written_and_false_ones_report_both_values(render: Render) -> None:
    line = "Has `{python} n = 96,096` and `{python} n = 96,000` and `{python} 425/3 = 141.6`."
    page = render("```{python}\nn = 96 * 10 * 10 * 10 + 96\n```\n\n" + line + "\n")
    assert "Has 96,096 and" in page.markdown
    assert messages(page) == [
        f"docs/page.md:5:{line.index('96,000') + 1}: claim is false: the page says 96,000, but `n` is 96,096 (96096)",
        f"docs/page.md:5:{line.index('141.6') + 1}: claim is false: the page says 141.6, but `425/3` is 141.7 (141.66666666666666)",
    ]
    assert page.stats.claims == 1


def test_an_unreadable_literal_is_reported(render: Render) -> None:
    page = render("`{python} 3 = three`\n")
    assert messages(page)[0].startswith(
        f"docs/page.md:1:{'`{python} 3 = three`'.index('three') + 1}: `three` is not a literal reckon can read"
    )


def test_assertions_are_counted_and_a_failing_one_fails(render: Render) -> None:
    passing = render("```{python}\nfor i in range(3):\n    assert i < 3\n```\n")
    failing = render("```{python}\nassert 1 + 1 == 3, 'arithmetic'\n```\n")
    assert passing.stats.checks == 3 and passing.diagnostics == []
    assert messages(failing) == ["docs/page.md:2:8: AssertionError: arithmetic"]  # the column of the condition


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("import sys\nsys.exit(3)", "SystemExit: the code called sys.exit(3)"),
        ("raise KeyboardInterrupt", "KeyboardInterrupt: the code raised KeyboardInterrupt"),
        ("def f(): return f()\nf()", "RecursionError: maximum recursion depth exceeded"),
    ],
)
def test_base_exceptions_are_a_pages_errors_too(render: Render, code: str, message: str) -> None:
    page = render(f"```{{python}}\n{code}\n```\n")
    assert len(page.diagnostics) == 1 and message in page.diagnostics[0].message


def test_a_runaway_block_is_stopped_at_its_line(render: Render) -> None:
    page = render("```{python}\nx = 1\n```\n\n```{python}\nwhile True:\n    pass\n```\n\nAfter `{python} x`.\n", timeout=1)
    # At the line the loop was on when it was stopped: its `while` or its body.
    assert messages(page) in (
        ["docs/page.md:6: the code ran longer than the 1 s timeout and was stopped"],
        ["docs/page.md:7: the code ran longer than the 1 s timeout and was stopped"],
    )
    assert "not run" in page.markdown


def test_a_block_that_ends_its_process_is_reported_at_the_line_that_called_os_exit(render: Render) -> None:
    page = render("```{python}\nimport os\nos._exit(7)\n```\n")
    assert "exited with status 7" in messages(page)[0]
    assert messages(page)[0].startswith("docs/page.md:3:")


def test_os_exit_called_from_a_function_names_the_call_and_its_caller(render: Render) -> None:
    page = render("```{python}\nimport os\n\ndef leave():\n    os._exit(4)\n\nleave()\n```\n")
    (diagnostic,) = page.diagnostics
    assert diagnostic.line == 5 and "exited with status 4" in diagnostic.message
    assert 'docs/page.md", line 7' in diagnostic.detail and 'docs/page.md", line 5' in diagnostic.detail


def test_static_problems_are_reported_with_their_lines(render: Render) -> None:
    page = render("```{python}\n#| bogus: 1\nx = 1\n```\n\n```{python}\ny = 2\n")
    assert [str(d).split(":", 3)[:2] for d in page.diagnostics] == [["docs/page.md", "2"], ["docs/page.md", "6"]]
    assert "never closed" in page.diagnostics[1].message


FIGURE = """\
```{python}
#| label: fig-line
#| fig-cap: "A line through `{python} n` points"
#| fig-alt: "A straight line rising from the lower left to the upper right"
import matplotlib.pyplot as plt
n = 2
fig, ax = plt.subplots()
ax.plot([0, 1], [0, 1])
ax.set_title("line")
```

As @fig-line shows.
"""


def test_a_figure_is_one_file_shown_in_both_palettes_numbered_and_referenced(render: Render) -> None:
    page = render(FIGURE, src_uri="sub/page.md")
    assert page.diagnostics == []
    [uri] = page.files
    name = uri.rsplit("/", 1)[1]
    assert re.fullmatch(r"assets/reckon/[0-9a-f]{20}\.svg", uri)
    alt = "A straight line rising from the lower left to the upper right"
    # 6 x 3.75 in, reckon's default size: 576 x 360 CSS px.
    attributes = "{ .reckon-figure width=576 height=360 }"
    assert (
        f"![{alt}](../assets/reckon/{name}#only-light){attributes}\n![{alt}](../assets/reckon/{name}#only-dark){attributes}"
        in page.markdown
    )
    assert "/// caption\n    attrs: {id: fig-line}\n**Figure 1.** A line through 2 points\n///" in page.markdown
    assert "As [Figure 1](#fig-line) shows." in page.markdown
    svg = page.files[uri].decode()
    # Light as drawn (the variables fall back to the light colours); dark only as #only-dark.
    assert '<svg id="only-dark" ' in svg
    assert "var(--reckon-ink, #1f2329)" in svg and ":root:target{--reckon-ink:#e3e5ea;" in svg
    assert re.search(r"(?<!, )#1f2329", svg) is None  # no theme colour left that the dark palette would miss


def test_the_same_figure_gives_the_same_bytes(render: Render) -> None:
    assert render(FIGURE).files == render(FIGURE).files


def test_a_figure_without_alt_text_fails_at_its_block(render: Render) -> None:
    page = render("\n```{python}\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])\n```\n")
    assert messages(page) == ["docs/page.md:2: this block draws a figure but has no alt text: add `#| fig-alt: <what the figure shows>`"]


def test_figures_not_shown_are_not_drawn(render: Render) -> None:
    page = render("```{python}\n#| output: false\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])\n```\n")
    assert page.files == {} and page.diagnostics == []


def test_an_unknown_reference_and_a_label_without_figure_are_reported(render: Render) -> None:
    page = render("```{python}\n#| label: fig-none\nx = 1\n```\n\nSee @fig-missing, not an email a@fig-x.com.\n")
    assert messages(page) == [
        "docs/page.md:1: the block is labelled `fig-none` but draws no figure",
        "docs/page.md:6:5: `@fig-missing` refers to no figure on this page (labels here: `fig-none`)",
    ]


def test_enormous_output_is_bounded_with_a_notice(render: Render) -> None:
    page = render("```{python}\n#| echo: false\nfor i in range(100_000):\n    print('spam', i)\n```\n")
    assert len(page.markdown) < 30_000
    assert re.search(r"… [\d,]+ more characters of output not shown", page.markdown)


def test_the_verification_note_counts_what_was_verified(render: Render) -> None:
    page = render("```{python}\nx = 2\nassert x == 2\n```\n\n`{python} x = 2` and `{python} x`\n", note=True)
    assert page.markdown.rstrip().endswith(
        "*When this site was built, 1 number on this page was checked against the computation, 1 further check in its code passed,"
        " and all of its code ran without error.*\n{ .reckon-note }"
    )


def caret_column(detail: str, source_line: str) -> int:
    """The 1-based column of the file's line that a traceback's carets start under."""
    shown = detail.splitlines()
    index = shown.index("    " + source_line.strip())
    carets = shown[index + 1]
    indentation = len(source_line) - len(source_line.lstrip())
    return len(carets) - len(carets.lstrip()) - 4 + indentation + 1


@pytest.mark.parametrize(
    ("markdown", "needle"),
    [
        # non-ASCII text before the failing expression, in a block, in a nested block and inline
        ('```{python}\ngröße = "ü"; y = größe + 1\n```\n', "größe + 1"),
        ('!!! note "Ä"\n\n    ```{python}\n    s = "äöü"; y = s + 1\n    ```\n', "s + 1"),
        ("Größe — `{python} undefined_x + 1` here.\n", "undefined_x"),
        # a function defined in an indented block and called from another: its own line's columns
        ('!!! note\n\n    ```{python}\n    def f(x):\n        return x + 1\n    ```\n\n```{python}\nf("a")\n```\n', "x + 1"),
    ],
    ids=["block", "admonition", "inline", "other-block"],
)
def test_columns_count_characters_of_the_file_line(render: Render, markdown: str, needle: str) -> None:
    page = render(markdown)
    (diagnostic,) = page.diagnostics
    number, line = next((number, line) for number, line in enumerate(markdown.split("\n"), start=1) if needle in line)
    column = line.index(needle) + 1
    assert (diagnostic.line, diagnostic.col) == (number, column)
    assert caret_column(diagnostic.detail, line) == column


def test_a_syntax_error_after_non_ascii_text_in_a_nested_block_is_at_its_character(render: Render) -> None:
    line = '    s = "äöü"; x = 1 +* 2'
    page = render(f"- item\n\n    ```{{python}}\n{line}\n    ```\n")
    assert messages(page) == [f"docs/page.md:4:{line.index('*') + 1}: SyntaxError: invalid syntax"]


def test_a_semicolon_after_non_ascii_text_still_hides_the_value(render: Render) -> None:
    page = render('```{python}\n#| echo: false\n"äöü";\n```\n')
    assert "äöü" not in page.markdown


def test_a_recursion_a_million_frames_deep_is_reported_quickly_with_a_bounded_traceback(render: Render) -> None:
    # Formatting every frame of such a traceback took longer than the timeout, which then hid the error.
    page = render("```{python}\nimport sys\nsys.setrecursionlimit(1_000_000)\ndef f(n):\n    return f(n + 1)\nf(0)\n```\n", timeout=90)
    (diagnostic,) = page.diagnostics
    assert str(diagnostic) == "docs/page.md:5:12: RecursionError: maximum recursion depth exceeded"
    assert diagnostic.detail.count('File "docs/page.md"') <= 3 and len(diagnostic.detail) < 2_000


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ('raise ValueError("first line\\nsecond line")', "ValueError: first line …"),
        ('error = ValueError("with a note")\nerror.add_note("the note")\nraise error', "ValueError: with a note …"),
        ('compile("1 +", "<generated>", "eval")', "SyntaxError: invalid syntax"),
        (
            "class Unprintable(Exception):\n    def __str__(self):\n        raise RuntimeError\nraise Unprintable()",
            "Unprintable: <exception str() failed>",
        ),
    ],
    ids=["two-lines", "note", "compiled", "str-raises"],
)
def test_the_message_names_the_exception_and_its_first_line(render: Render, code: str, message: str) -> None:
    page = render(f"```{{python}}\n{code}\n```\n")
    (diagnostic,) = page.diagnostics
    assert diagnostic.message == message


def test_what_native_code_writes_to_the_file_descriptors_is_shown_with_its_own_block(render: Render) -> None:
    page = render(
        "```{python}\n#| echo: false\nimport os\nos.write(1, b'first to fd 1\\n')\n```\n\n"
        "```{python}\n#| echo: false\nos.write(2, 'second to fd 2: äöü\\n'.encode())\nNone\n```\n"
    )
    assert page.diagnostics == []
    assert "```text\nfirst to fd 1\n```\n\n14\n" in page.markdown  # os.write's value: the bytes written
    assert "```text\nsecond to fd 2: äöü\n```" in page.markdown and page.markdown.count("first to fd 1") == 1


def running(pid: int) -> bool:
    """Whether a process runs (a zombie nobody has reaped yet does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in {"Z", "X"}
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads process states from /proc")
@pytest.mark.parametrize("ending", ["finishes", "times out"])
def test_processes_a_page_starts_and_leaves_running_end_with_it(render: Render, ending: str) -> None:
    hang = "\n\n```{python}\nimport time\ntime.sleep(60)\n```\n" if ending == "times out" else ""
    page = render(f"```{{python}}\nimport subprocess\nchild = subprocess.Popen(['sleep', '60'])\nchild.pid\n```\n{hang}", timeout=2)
    pid = int(re.findall(r"^(\d+)$", page.markdown, re.MULTILINE)[0])
    deadline = time.monotonic() + 10
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(pid)


def test_a_matrix_of_fractions_uses_full_size_fractions_with_room_between_rows(render: Render) -> None:
    page = render(
        "```{python}\n#| echo: false\nimport numpy as np\nfrom fractions import Fraction\n"
        "np.array([[Fraction(425, 3), 0], [0, Fraction(340, 3)]], dtype=object)\n```\n"
    )
    assert "\\dfrac{425}{3} & 0 \\\\[0.6em]\n0 & \\dfrac{340}{3}" in page.markdown


def test_an_enormous_final_value_is_bounded_with_a_notice(render: Render) -> None:
    page = render("```{python}\n#| echo: false\nlist(range(1_000_000))\n```\n")
    shown = len(repr(list(range(1_000_000))))
    assert len(page.markdown) < 25_000
    assert re.search(r"\n… ([\d,]+) more characters not shown\n", page.markdown)[1] == f"{shown - 20_000:,}"  # type: ignore[index]


def test_inline_code_with_no_expression_says_so_at_its_closing_backtick(render: Render) -> None:
    line = "Nothing here: `{python}` and `{python}  `."
    page = render(line + "\n")
    closing = [index + 1 for index, char in enumerate(line) if char == "`"][1::2]
    assert messages(page) == [f"docs/page.md:1:{column}: the inline code has no expression after {{python}}" for column in closing]


def test_a_timeout_is_reported_at_the_line_the_code_was_on_with_the_calls_that_led_there(render: Render) -> None:
    page = render(
        "```{python}\nimport time\n\ndef wait_forever():\n    while True:\n        time.sleep(0.01)\n\nwait_forever()\n```\n", timeout=1
    )
    (diagnostic,) = page.diagnostics
    assert str(diagnostic) == "docs/page.md:6: the code ran longer than the 1 s timeout and was stopped"
    assert diagnostic.detail == (
        "Where the code was when it stopped (most recent call last):\n"
        '  File "docs/page.md", line 8, in <module>\n    wait_forever()\n'
        '  File "docs/page.md", line 6, in wait_forever\n    time.sleep(0.01)'
    )


def test_an_enormous_inline_value_is_a_located_failure_not_a_page_of_text(render: Render) -> None:
    line = "It is `{python} 'x' * 1_000_000` long."
    page = render("\n" + line + "\n")
    column = line.index("'x'") + 1
    assert messages(page) == [
        f"docs/page.md:2:{column}: `'x' * 1_000_000` is 1,000,000 characters long; "
        "an inline value may be at most 20,000 (show it from a block)"
    ]
    assert len(page.markdown) < 2_000


def test_the_note_of_a_page_without_claims_does_not_mention_claims(render: Render) -> None:
    page = render("```{python}\nx = 2\n```\n\nx is `{python} x`.\n", note=True)
    assert "*When this site was built, all of its code ran without error.*" in page.markdown


def test_a_block_that_plots_and_then_previews_a_snippet_keeps_its_figure(render: Render) -> None:
    snippet = "```{python}\\nimport matplotlib.pyplot as plt\\nplt.plot([3, 2])\\nplt.figure()\\nplt.plot([5, 6])\\n```\\n"
    page = render(
        "```{python}\n"
        "#| label: fig-kept\n"
        "#| fig-alt: a rising line\n"
        "import matplotlib.pyplot as plt\n"
        "from reckon.preview import preview\n"
        "plt.plot([1, 2, 3], color='#123456')\n"
        f"shown = preview('{snippet}')\n"
        "plt.gca().set_title('after the preview')\n"
        "```\n"
    )
    assert not page.diagnostics
    svgs = [content if isinstance(content, str) else content.decode() for uri, content in page.files.items() if uri.endswith(".svg")]
    assert svgs, "the block's figure was lost"
    assert all("#123456" in svg for svg in svgs), "every image is of the block's own figure, none of the snippet's"
    assert page.markdown.count("**Figure ") == 1, "one figure: the block's own"
