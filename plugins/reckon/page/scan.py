"""Split a Markdown page into prose, verbatim text, inline code and executable blocks.

The scanner reads the page the way Python-Markdown with pymdownx.superfences will: fenced code of
any other language, indented code blocks, code spans and HTML comments are *verbatim* (shown, never
run); a fence opened with ```` ```{python} ```` at any indentation (inside admonitions, content tabs
and list items too) is an executable :class:`Block`; a single-backtick code span that starts with
``{python}`` is an :class:`InlineCode`. Nothing is lost: joining the ``text`` of every segment gives
the page back byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Block", "InlineCode", "Prose", "Segment", "Verbatim", "scan_inline", "scan_page"]


@dataclass(frozen=True)
class Prose:
    """Markdown text that is neither code nor comment (cross-references are resolved in it)."""

    text: str
    line: int
    col: int


@dataclass(frozen=True)
class Verbatim:
    """Text shown as written: other fences, indented code, code spans, HTML comments."""

    text: str
    line: int
    col: int


@dataclass(frozen=True)
class InlineCode:
    """An inline ``{python} expr`` or checked claim ``{python} expr = LITERAL``."""

    text: str  # the span as written, backticks included
    code: str  # what follows ``{python}``
    line: int  # of the opening backtick
    col: int
    code_col: int  # where ``code`` starts on the line


@dataclass(frozen=True)
class Block:
    """A ```` ```{python} ```` block: its body is dedented to the fence's indentation."""

    text: str  # as written, both fences included
    indent: str  # the opening fence's indentation, which the block's output keeps
    line: int  # of the opening fence
    body: tuple[str, ...]  # dedented lines between the fences, without line ends
    closed: bool

    @property
    def body_line(self) -> int:
        """The line of the body's first line."""
        return self.line + 1

    @property
    def indent_width(self) -> int:
        """Columns of indentation (and blockquote markers) removed from each body line."""
        return _width(self.indent, quotes=True)


Segment = Prose | Verbatim | InlineCode | Block

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*?)[ \t]*$")
_EXECUTABLE_INFO = re.compile(r"^\{python\}$")
# The markers of a blockquote (``>``, ``> >``) and the indentation before them, as Python-Markdown reads them.
_QUOTE_PREFIX = re.compile(r"^(?:[ \t]{0,3}>[ \t]?)+")
_CONTAINER_OPENER = re.compile(r"^[ \t]*(?:(?:!!!|\?\?\?\+?)(?=[ \t]|$)|===[+!]*[ \t])")
_LIST_ITEM = re.compile(r"^[ \t]*(?P<marker>[*+-]|\d{1,9}[.)])(?P<space>[ \t]+|$)")
# Python-Markdown's own code-span pattern (an escaped backslash pair, or a backtick run and its
# match on the same line), with HTML comments ahead of it.
_SPAN_OR_COMMENT = re.compile(
    r"(?P<comment>(?s:<!--.*?(?:-->|\Z)))"
    r"|(?<!\\)(?P<escapes>(?:\\{2})+)(?=`+)"
    r"|(?<!\\)(?P<ticks>`+)(?P<content>.+?)(?<!`)(?P=ticks)(?!`)"
)
_INLINE_CODE = re.compile(r"^\{python\}(?:[ \t]+(?P<code>.*))?$", re.DOTALL)
_CODE_SPANS = re.compile(r"(`+).+?(?<!`)\1(?!`)")


def scan_page(markdown: str, first_line: int = 1) -> list[Segment]:
    """Split a page into segments.

    Args:
        markdown: The page's Markdown, front matter removed.
        first_line: The line of the file on which ``markdown`` starts (after front matter), so that
            every position reported is a line of the file as written.

    Returns:
        The segments in page order; ``"".join(s.text for s in segments) == markdown``.
    """
    lines = _split_lines(markdown)
    segments: list[Segment] = []
    prose_start: int | None = None

    def flush_prose(end: int) -> None:
        nonlocal prose_start
        if prose_start is not None and end > prose_start:
            segments.extend(scan_inline("".join(lines[prose_start:end]), first_line + prose_start, 1))
        prose_start = None

    for kind, start, end in _classify_lines(lines):
        if kind == "prose":
            if prose_start is None:
                prose_start = start
            continue
        flush_prose(start)
        text = "".join(lines[start:end])
        if kind == "verbatim":
            segments.append(Verbatim(text, first_line + start, 1))
        else:
            segments.append(_make_block(lines[start:end], first_line + start, closed=kind == "block"))
    flush_prose(len(lines))
    return segments


def scan_inline(text: str, line: int, col: int) -> list[Segment]:
    """Split a run of prose into prose, code spans, comments and inline code.

    Args:
        text: The prose.
        line: The line on which ``text`` starts.
        col: The column at which ``text`` starts on that line (1-based).
    """
    segments: list[Segment] = []
    position = 0
    where = _Positions(text, line, col)
    for match in _SPAN_OR_COMMENT.finditer(text):
        if match["escapes"] is not None:
            continue
        start, end = match.span()
        if start > position:
            segments.append(Prose(text[position:start], *where.at(position)))
        span = text[start:end]
        span_line, span_col = where.at(start)
        inline = None
        if match["ticks"] == "`":
            inline = _INLINE_CODE.match(match["content"].strip(" \t"))
        if inline is not None:
            code = inline["code"] or ""
            offset = match["content"].find(code) if code else len(match["content"])
            segments.append(InlineCode(span, code.rstrip(), span_line, span_col, span_col + 1 + offset))
        else:
            segments.append(Verbatim(span, span_line, span_col))
        position = end
    if position < len(text):
        segments.append(Prose(text[position:], *where.at(position)))
    return segments


class _Positions:
    """File lines and columns of offsets into ``text`` asked for in increasing order.

    Counting from where the last one was, not from the start of ``text`` every time: a long run of
    prose with many inline values cost time quadratic in its length.
    """

    def __init__(self, text: str, line: int, col: int) -> None:
        self.text, self.col = text, col
        self.offset, self.line, self.last_newline = 0, line, -1

    def at(self, offset: int) -> tuple[int, int]:
        newlines = self.text.count("\n", self.offset, offset)
        if newlines:
            self.line += newlines
            self.last_newline = self.text.rfind("\n", self.offset, offset)
        self.offset = offset
        return (self.line, self.col + offset) if self.last_newline < 0 else (self.line, offset - self.last_newline)


def _split_lines(text: str) -> list[str]:
    """Lines with their ends, split on ``\\n`` only, as Python-Markdown does."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _width(prefix: str, *, quotes: bool = False) -> int:
    """The columns a run of leading whitespace takes, with tabs to the next multiple of four.

    With ``quotes``, blockquote markers (``>``) count as part of the run, a column each.
    """
    column = 0
    for char in prefix:
        if char == "\t":
            column += 4 - column % 4
        elif char == " " or (quotes and char == ">"):
            column += 1
        else:
            break
    return column


def _quote_depth(line: str) -> int:
    """How many blockquote markers start ``line`` (0: it is not quoted)."""
    prefix = _QUOTE_PREFIX.match(line)
    return prefix[0].count(">") if prefix else 0


def _unquote(line: str, depth: int) -> str:
    """``line`` without its first ``depth`` blockquote markers (and the space after each)."""
    for _ in range(depth):
        marker = re.match(r"^[ \t]{0,3}>[ \t]?", line)
        if marker is None:
            break
        line = line[marker.end() :]
    return line


def _classify_lines(lines: list[str]) -> list[tuple[str, int, int]]:
    """Runs of lines as ``(kind, start, end)``: kind is prose, verbatim, block or open-block."""
    runs: list[tuple[str, int, int]] = []
    containers: list[int] = []  # content indentation of open list items, admonitions and tabs
    previous_blank = True
    in_comment = False
    index = 0
    while index < len(lines):
        line = lines[index].rstrip("\r\n")
        if not line.strip():
            previous_blank = True
            runs.append(("prose", index, index + 1))
            index += 1
            continue
        indent = _width(line)
        if in_comment:
            in_comment = "-->" not in line
            runs.append(("prose", index, index + 1))
            index += 1
            previous_blank = False
            continue
        while containers and indent < containers[-1]:
            containers.pop()
        base = containers[-1] if containers else 0
        if indent >= base + 4 and previous_blank:
            end = _indented_code_end(lines, index, base + 4)
            runs.append(("verbatim", index, end))
            index = end
            previous_blank = False
            continue
        depth = _quote_depth(line)
        fence = _FENCE_OPEN.match(_unquote(line, depth))
        if fence and (fence["fence"][0] == "~" or "`" not in fence["info"]):
            # A fence inside a blockquote is a fence to superfences too: every line of it carries the quote's markers.
            end, closed = _fence_end(lines, index, fence["fence"], depth)
            if _EXECUTABLE_INFO.match(fence["info"].strip()):
                runs.append(("block" if closed else "open-block", index, end))
            else:
                runs.append(("verbatim", index, end))
            index = end
            previous_blank = False
            continue
        if _CONTAINER_OPENER.match(line):
            containers.append(indent + 4)
        elif item := _LIST_ITEM.match(line):
            containers.append(indent + len(item["marker"]) + max(1, min(len(item["space"]), 4)))
        in_comment = _opens_comment(line)
        runs.append(("prose", index, index + 1))
        previous_blank = False
        index += 1
    return runs


def _indented_code_end(lines: list[str], start: int, indent: int) -> int:
    """The end of an indented code block that starts at ``start`` (trailing blank lines excluded)."""
    end = start + 1
    for index in range(start + 1, len(lines)):
        line = lines[index].rstrip("\r\n")
        if line.strip():
            if _width(line) < indent:
                break
            end = index + 1
    return end


def _fence_end(lines: list[str], start: int, fence: str, depth: int = 0) -> tuple[int, bool]:
    """Where a fence opened at ``start`` ends (exclusive), and whether it was closed.

    A fence opened inside a blockquote ``depth`` markers deep also ends, unclosed, at the first line
    that leaves the quote.
    """
    closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for index in range(start + 1, len(lines)):
        line = lines[index].rstrip("\r\n")
        if depth and _quote_depth(line) < depth:
            return index, False
        if closing.match(_unquote(line, depth)):
            return index + 1, True
    return len(lines), False


def _opens_comment(line: str) -> bool:
    """Whether an HTML comment starts on this line and does not end on it."""
    outside_code = _CODE_SPANS.sub("", line)
    opened = outside_code.rfind("<!--")
    return opened != -1 and "-->" not in outside_code[opened + 4 :]


def _make_block(lines: list[str], line: int, closed: bool) -> Block:
    opening = lines[0].rstrip("\r\n")
    depth = _quote_depth(opening)
    unquoted = _unquote(opening, depth)
    indent = opening[: len(opening) - len(unquoted.lstrip(" \t"))]
    width = _width(unquoted)
    inner = lines[1:-1] if closed else lines[1:]
    body = tuple(_dedent(_unquote(text.rstrip("\r\n"), depth), width) for text in inner)
    return Block("".join(lines), indent, line, body, closed)


def _dedent(line: str, width: int) -> str:
    """Remove up to ``width`` columns of leading whitespace."""
    removed = 0
    for position, char in enumerate(line):
        if removed >= width or char not in " \t":
            return line[position:]
        removed += 4 - removed % 4 if char == "\t" else 1
    return ""
