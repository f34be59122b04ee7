"""Render a block's final value as Markdown, by its type.

| value | rendered as |
| --- | --- |
| ``None``, a matplotlib object | nothing (figures are captured separately) |
| an object with ``_repr_markdown_`` (:class:`reckon.Table`, :class:`reckon.Formula`) | its Markdown |
| ``str`` | Markdown, as is |
| a NumPy array up to 16×16 | a LaTeX matrix in display math (a Markdown table without math) |
| a larger array, up to 200×32 | a Markdown table |
| a larger array still | NumPy's summary (``...`` past 1,000 elements) in a code block |
| an object with ``_repr_latex_`` (SymPy) | display math |
| a number | its ``str`` |
| anything else | its ``repr`` in a code block |

Whatever its kind, a value is bounded (:mod:`reckon.limits`): past :data:`TEXT_LIMIT` characters a
table keeps its first rows, anything else shows its first characters in a code block (cut Markdown
could leave a fence or a formula open and swallow the rest of the page), with a notice of how much
was left out.
"""

from __future__ import annotations

import numbers
import re
from fractions import Fraction
from typing import Any

from ..authoring.latex import latex_number
from ..authoring.table import Table
from ..limits import ARRAY_SUMMARY_THRESHOLD, MATRIX_LIMIT, TABLE_COLUMNS, TABLE_ROWS, TEXT_LIMIT
from ..wire import RenderedValue

__all__ = ["MATRIX_LIMIT", "REPR_LIMIT", "bound", "latex_number", "render_value"]

REPR_LIMIT = TEXT_LIMIT  # characters of a value that a page shows
_TABLE_ROW = re.compile(r"^\|.*\|$")


#: The corner of an array's table: a header cell with nothing in it says nothing to a screen reader
#: (axe's empty-table-header); this one names the column of row numbers and is not seen.
_ROW_HEADER = '<span class="reckon-visually-hidden">row</span>'


def render_value(value: Any, *, math: bool = True) -> RenderedValue | None:
    """Render a value, bounded (see :func:`bound`), or return ``None`` when there is nothing to show."""
    rendered = _render(value, math)
    return None if rendered is None else bound(rendered)


def bound(rendered: RenderedValue, limit: int = TEXT_LIMIT) -> RenderedValue:
    """``rendered`` if it has at most ``limit`` characters; else its beginning, and how much was left out.

    A Markdown table keeps its first rows (and says how many rows it left out, in a last row); any
    other Markdown becomes a code block of its first characters, since Markdown cut anywhere could
    leave a fence, a formula or an HTML element open.
    """
    text = rendered.text
    if len(text) <= limit:
        return rendered
    lines = text.split("\n")
    if rendered.kind == "markdown" and len(lines) > 2 and all(_TABLE_ROW.match(line) for line in lines):
        kept, size = 2, len(lines[0]) + len(lines[1]) + 2
        while kept < len(lines) and size + len(lines[kept]) + 1 <= limit:
            size += len(lines[kept]) + 1
            kept += 1
        left = len(lines) - kept
        notice = f"| *… {left:,} more row{'' if left == 1 else 's'} not shown ({len(text) - size:,} characters)* |"
        return RenderedValue("markdown", "\n".join([*lines[:kept], notice]))
    return RenderedValue("code", f"{text[:limit]}\n… {len(text) - limit:,} more characters not shown")


def _render(value: Any, math: bool) -> RenderedValue | None:
    if value is None or type(value).__module__.startswith("matplotlib") or _is_artist_list(value):
        return None
    markdown = getattr(value, "_repr_markdown_", None)
    if callable(markdown) and not isinstance(value, type):
        text = markdown()
        if isinstance(text, tuple):  # IPython allows (data, metadata)
            text = text[0]
        if text is not None:
            return RenderedValue("markdown", str(text))
    if isinstance(value, str):
        return RenderedValue("markdown", value)
    if _is_ndarray(value):
        return _render_array(value, math)
    latex = getattr(value, "_repr_latex_", None)
    if math and callable(latex) and not isinstance(value, type):
        text = latex()
        if text:
            return RenderedValue("markdown", "$$\n" + str(text).strip().strip("$").strip() + "\n$$")
    if isinstance(value, numbers.Number):
        return RenderedValue("markdown", str(value))
    return RenderedValue("code", repr(value))


def _is_ndarray(value: Any) -> bool:
    return type(value).__name__ == "ndarray" and type(value).__module__ == "numpy"


def _is_artist_list(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and len(value) > 0 and all(type(item).__module__.startswith("matplotlib") for item in value)


def _render_array(array: Any, math: bool) -> RenderedValue:
    if array.ndim == 0:
        return RenderedValue("markdown", str(array.item()))
    grid = array.reshape(1, -1) if array.ndim == 1 else array
    if array.ndim <= 2 and math and grid.shape[0] <= MATRIX_LIMIT and grid.shape[1] <= MATRIX_LIMIT:
        items = grid.tolist()
        # Fractions at full size, with room between rows, read better than cramped \tfrac.
        has_fractions = any(isinstance(item, Fraction) and item.denominator != 1 for row in items for item in row)
        rows = [" & ".join(latex_number(item, fraction="dfrac" if has_fractions else "tfrac") for item in row) for row in items]
        body = (" \\\\[0.6em]\n" if has_fractions else " \\\\\n").join(rows)
        return RenderedValue("markdown", f"$$\n\\begin{{bmatrix}}\n{body}\n\\end{{bmatrix}}\n$$")
    if array.ndim <= 2 and grid.shape[0] <= TABLE_ROWS and grid.shape[1] <= TABLE_COLUMNS:
        headers = [_ROW_HEADER] + [str(column) for column in range(grid.shape[1])]
        numbered = [[f"**{index}**", *row] for index, row in enumerate(grid.tolist())]
        return RenderedValue("markdown", Table(numbered, headers=headers, align="right")._repr_markdown_())
    import numpy

    # NumPy's own summary (``...``), even where the page asked NumPy to print everything.
    threshold = min(int(numpy.get_printoptions()["threshold"]), ARRAY_SUMMARY_THRESHOLD)
    with numpy.printoptions(threshold=threshold):
        return RenderedValue("code", repr(array))
