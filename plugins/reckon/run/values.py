"""Render a block's final value as Markdown, by its type.

| value | rendered as |
| --- | --- |
| ``None``, a matplotlib object | nothing (figures are captured separately) |
| an object with ``_repr_markdown_`` (:class:`reckon.Table`, :class:`reckon.Formula`) | its Markdown |
| ``str`` | Markdown, as is |
| a NumPy array up to 16×16 | a LaTeX matrix in display math (a Markdown table without math) |
| a larger 2-D array | a Markdown table |
| an object with ``_repr_latex_`` (SymPy) | display math |
| a number | its ``str`` |
| anything else | its ``repr`` in a code block (its first :data:`REPR_LIMIT` characters, with a notice) |
"""

from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Any

from ..authoring.latex import latex_number
from ..authoring.table import Table
from ..wire import RenderedValue

__all__ = ["MATRIX_LIMIT", "REPR_LIMIT", "latex_number", "render_value"]

MATRIX_LIMIT = 16  # rows and columns up to which an array is a LaTeX matrix
TABLE_LIMIT = 200  # rows up to which a 2-D array is a Markdown table
REPR_LIMIT = 20_000  # characters of a value's repr that a page shows


def render_value(value: Any, *, math: bool = True) -> RenderedValue | None:
    """Render a value, or return ``None`` when there is nothing to show."""
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
    return RenderedValue("code", _bounded(repr(value)))


def _is_ndarray(value: Any) -> bool:
    return type(value).__name__ == "ndarray" and type(value).__module__ == "numpy"


def _is_artist_list(value: Any) -> bool:
    return (
        isinstance(value, (list, tuple))
        and len(value) > 0
        and all(type(item).__module__.startswith("matplotlib") for item in value)
    )


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
    if array.ndim <= 2 and grid.shape[0] <= TABLE_LIMIT:
        headers = [""] + [str(column) for column in range(grid.shape[1])]
        numbered = [[f"**{index}**", *row] for index, row in enumerate(grid.tolist())]
        return RenderedValue("markdown", Table(numbered, headers=headers, align="right")._repr_markdown_())
    return RenderedValue("code", _bounded(repr(array)))


def _bounded(text: str) -> str:
    """``text`` cut to :data:`REPR_LIMIT` characters, saying how many more there were."""
    if len(text) <= REPR_LIMIT:
        return text
    return f"{text[:REPR_LIMIT]}\n… {len(text) - REPR_LIMIT:,} more characters not shown"
