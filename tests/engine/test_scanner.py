"""The page scanner: what runs, what is only shown, and where everything is."""

from __future__ import annotations

import textwrap

from reckon.page.scan import Block, InlineCode, Prose, Verbatim, scan_page


def kinds(markdown: str) -> list[tuple[str, str]]:
    return [(type(segment).__name__, segment.text) for segment in scan_page(markdown)]


def executed(markdown: str) -> list[str]:
    """The code the scanner would run, blocks and inline alike."""
    found = []
    for segment in scan_page(textwrap.dedent(markdown)):
        if isinstance(segment, Block):
            found.append("\n".join(segment.body))
        elif isinstance(segment, InlineCode):
            found.append(segment.code)
    return found


def test_a_block_and_an_inline_value_with_their_lines_and_columns() -> None:
    markdown = "# T\n\nText `{python} x = 5` end.\n\n```{python}\n#| echo: false\nx = 5\n```\n"
    segments = scan_page(markdown, first_line=4)
    inline = next(segment for segment in segments if isinstance(segment, InlineCode))
    block = next(segment for segment in segments if isinstance(segment, Block))
    assert (inline.code, inline.line, inline.col, inline.code_col) == ("x = 5", 6, 6, 16)
    assert (block.line, block.body, block.closed) == (8, ("#| echo: false", "x = 5"), True)
    assert "".join(segment.text for segment in segments) == markdown


def test_blocks_nested_in_admonitions_tabs_and_lists_run_and_keep_their_indentation() -> None:
    markdown = textwrap.dedent(
        """\
        !!! note "A note"

            ```{python}
            a = 1
            ```

        === "A tab"

            ```{python}
            b = 2
            ```

        - an item

            ```{python}
            c = 3
            ```

        1. numbered

            ```{python}
            d = 4
            ```
        """
    )
    blocks = [segment for segment in scan_page(markdown) if isinstance(segment, Block)]
    assert [(block.body, block.indent) for block in blocks] == [
        (("a = 1",), "    "),
        (("b = 2",), "    "),
        (("c = 3",), "    "),
        (("d = 4",), "    "),
    ]


def test_code_in_other_fences_indented_blocks_code_spans_and_comments_never_runs() -> None:
    markdown = """\
        ````markdown
        ```{python}
        shown_not_run = 1
        ```
        ````

        ~~~
        `{python} in_tilde_fence`
        ~~~

        Paragraph.

            ```{python}
            indented_code_block = 1
            ```

        Show the syntax: ``{python} double_backticks`` and `` `{python} spaced` ``.

        An escaped \\`{python} escaped` backtick.

        <!-- `{python} commented_out`
        ```{python}
        commented_block = 1
        ```
        -->

        ```python
        plain_python_fence = 1
        ```
        """
    assert executed(markdown) == []


def test_inline_code_is_single_backtick_spans_starting_with_python_only() -> None:
    markdown = "`{python} a` `{python}b` ``{python} c`` `{python}` `{ python} d` `{python} e = 1,000`"
    codes = [segment.code for segment in scan_page(markdown) if isinstance(segment, InlineCode)]
    assert codes == ["a", "", "e = 1,000"]


def test_the_page_comes_back_byte_for_byte_with_windows_line_endings_and_unicode() -> None:
    markdown = "Ünïcode `{python} 1` — ✓\r\n\r\n```{python}\r\nx = 'é'\r\n```\r\ntail without newline"
    segments = scan_page(markdown)
    assert "".join(segment.text for segment in segments) == markdown
    block = next(segment for segment in segments if isinstance(segment, Block))
    assert block.body == ("x = 'é'",)


def test_an_unclosed_block_is_reported_not_run() -> None:
    segments = scan_page("text\n\n```{python}\nx = 1\n")
    block = next(segment for segment in segments if isinstance(segment, Block))
    assert block.closed is False


def test_a_longer_closing_fence_closes_and_a_shorter_one_does_not() -> None:
    segments = scan_page("````{python}\nx = '```'\n```\ny = 1\n`````\n")
    block = next(segment for segment in segments if isinstance(segment, Block))
    assert block.body == ("x = '```'", "```", "y = 1")


def test_prose_and_verbatim_segments_alternate_around_code_spans() -> None:
    assert kinds("a `b` c") == [("Prose", "a "), ("Verbatim", "`b`"), ("Prose", " c")]
    assert isinstance(scan_page("x")[0], Prose)
    assert isinstance(scan_page("    code\n")[0], Verbatim)


def test_a_block_inside_a_blockquote_is_a_block_as_superfences_reads_it() -> None:
    page = "> A quote\n>\n> ```{python}\n> y = 2\n>     print(y)\n> ```\n"
    blocks = [segment for segment in scan_page(page) if isinstance(segment, Block)]
    assert len(blocks) == 1
    assert blocks[0].line == 3 and blocks[0].closed
    assert blocks[0].body == ("y = 2", "    print(y)")
    assert blocks[0].indent == "> " and blocks[0].indent_width == 2
    assert "".join(segment.text for segment in scan_page(page)) == page


def test_a_fence_of_another_language_in_a_blockquote_is_verbatim_and_its_inline_code_never_runs() -> None:
    page = "> ```text\n> `{python} 1/0`\n> ```\n"
    segments = scan_page(page)
    assert not any(isinstance(segment, InlineCode) for segment in segments)
    assert isinstance(segments[0], Verbatim)


def test_a_quoted_block_ends_unclosed_where_the_quote_ends() -> None:
    page = "> ```{python}\n> z = 1\n\nafter `{python} z`\n"
    segments = scan_page(page)
    block = next(segment for segment in segments if isinstance(segment, Block))
    assert not block.closed and block.body == ("z = 1",)
    assert any(isinstance(segment, InlineCode) and segment.line == 4 for segment in segments)


def test_nested_quotes_keep_their_depth() -> None:
    page = "> > ```{python}\n> > a = 1\n> > ```\n"
    block = next(segment for segment in scan_page(page) if isinstance(segment, Block))
    assert block.body == ("a = 1",) and block.indent == "> > "
