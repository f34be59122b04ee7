"""Properties of the page scanner, on generated pages.

Pages are generated from a small grammar of the Markdown that pages hold: prose (with non-ASCII
words, ordinary code spans and double-backtick spans), other fences, indented code, HTML comments,
containers (admonitions, content tabs, list items) and ```{python} blocks and `{python}` spans.
Every piece of code carries a unique marker, and the grammar knows which pieces are executable,
so the markers the scanner finds as code must be exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from reckon.page.scan import Block, InlineCode, Segment, scan_page

WORDS = st.sampled_from(["text", "Größe", "日本語", "🎉", "naïve", "a", "*emphasis*", "[link](x.md)", "x = 1", "—"])
NEWLINES = st.sampled_from(["\n", "\r\n"])


@dataclass
class Generated:
    """A page and the markers it holds: those that must run and those that must not."""

    lines: list[str]
    executable: list[str]
    inert: list[str]


class Markers:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"marker_{self.count}"


@st.composite
def prose(draw: st.DrawFn, markers: Markers) -> Generated:
    """A paragraph: words, ordinary and double-backtick code spans, and inline `{python}` spans."""
    parts: list[str] = []
    executable: list[str] = []
    inert: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["words", "span", "double", "inline", "spaced-inline"]))
        if kind == "words":
            parts.append(" ".join(draw(st.lists(WORDS, min_size=1, max_size=4))))
            continue
        marker = markers()
        if kind == "span":
            parts.append(f"`{marker}`")
            inert.append(marker)
        elif kind == "double":
            parts.append(f"``{{python}} {marker}``")
            inert.append(marker)
        else:
            parts.append(f"`{{python}} {marker}`" if kind == "inline" else f"` {{python}}  {marker} `")
            executable.append(marker)
    return Generated([" ".join(parts)], executable, inert)


def block(marker: str, ticks: int = 3) -> list[str]:
    return ["`" * ticks + "{python}", "#| echo: false", f"{marker} = 1", "`" * ticks]


def indented(lines: list[str], prefix: str = "    ") -> list[str]:
    return [prefix + line if line else line for line in lines]


@st.composite
def chunk(draw: st.DrawFn, markers: Markers) -> Generated:
    """One element of a page, whose markers are executable or inert as Markdown decides."""
    kind = draw(
        st.sampled_from(
            [
                "prose",
                "block",
                "long-block",
                "other-fence",
                "tilde-fence",
                "showing-fence",
                "indented",
                "comment",
                "admonition",
                "tab",
                "list",
                "nested-indented",
            ]
        )
    )
    if kind == "prose":
        return draw(prose(markers))
    marker = markers()
    if kind == "block":
        return Generated(block(marker), [marker], [])
    if kind == "long-block":  # a longer fence may hold a shorter one
        return Generated(["````{python}", f"{marker} = '```'", "```", "````"], [marker], [])
    if kind == "other-fence":
        language = draw(st.sampled_from(["python", "text", "", "py"]))
        return Generated([f"```{language}", f"`{{python}} {marker}`", "```"], [], [marker])
    if kind == "tilde-fence":
        return Generated(["~~~text", *block(marker), "~~~"], [], [marker])
    if kind == "showing-fence":  # a fence of four or more backticks that shows a block
        ticks = draw(st.integers(4, 6))
        return Generated(["`" * ticks + "markdown", *block(marker), f"`{{python}} {marker}`", "`" * ticks], [], [marker])
    if kind == "indented":
        return Generated(indented(block(marker)), [], [marker])
    if kind == "comment":
        return Generated(["<!--", *block(marker), f"`{{python}} {marker}`", "-->"], [], [marker])
    if kind == "nested-indented":  # indented code inside an admonition
        return Generated(["!!! note", "", *indented(block(marker), " " * 8)], [], [marker])
    opener = {"admonition": '!!! note "Note"', "tab": '=== "Tab"', "list": draw(st.sampled_from(["- item", "1. item", "* item"]))}[kind]
    return Generated([opener, "", *indented(block(marker))], [marker], [])


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, list[str], list[str]]:
    markers = Markers()
    lines: list[str] = []
    executable: list[str] = []
    inert: list[str] = []
    for piece in draw(st.lists(chunk(markers), min_size=1, max_size=8)):
        # A paragraph between pieces closes every container, so each piece is read on its own.
        lines += [*piece.lines, "", "Between.", ""]
        executable += piece.executable
        inert += piece.inert
    newline = draw(NEWLINES)
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    return text, executable, inert


def found_code(segments: list[Segment]) -> list[str]:
    code = []
    for segment in segments:
        if isinstance(segment, Block):
            code.append("\n".join(segment.body))
        elif isinstance(segment, InlineCode):
            code.append(segment.code)
    return code


@given(pages())
def test_exactly_the_code_in_executable_positions_is_found_and_the_page_comes_back_byte_for_byte(
    page: tuple[str, list[str], list[str]],
) -> None:
    text, executable, inert = page
    segments = scan_page(text)
    assert "".join(segment.text for segment in segments) == text
    code = found_code(segments)
    found = sorted(marker for marker in executable + inert if any(marker in piece.split() or f"{marker} =" in piece for piece in code))
    assert found == sorted(executable)


@given(st.text(), st.integers(1, 50))
def test_any_text_comes_back_byte_for_byte_and_every_segment_is_where_it_says(text: str, first_line: int) -> None:
    segments = scan_page(text, first_line)
    assert "".join(segment.text for segment in segments) == text
    offset = 0
    lines = text.split("\n")
    for segment in segments:
        line = first_line + text.count("\n", 0, offset)
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        assert segment.line == line
        if not isinstance(segment, Block):
            assert segment.col == column
            assert lines[line - first_line][column - 1 :].startswith(segment.text.split("\n", 1)[0])
        offset += len(segment.text)


@given(pages())
def test_inline_code_columns_point_at_the_code_on_its_line(page: tuple[str, list[str], list[str]]) -> None:
    text, _executable, _inert = page
    lines = text.split("\n")
    for segment in scan_page(text):
        if isinstance(segment, InlineCode):
            line = lines[segment.line - 1]
            assert line[segment.col - 1 :].startswith(segment.text)
            assert line[segment.code_col - 1 :].startswith(segment.code)
