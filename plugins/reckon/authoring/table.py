"""A table that a block can end with: it renders as a Markdown table."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

__all__ = ["Table", "format_cell"]


class Table:
    """Rows of values shown as a Markdown table.

    Numbers are right-aligned and written with thousands separators; anything else is written with
    ``str``. Strings are Markdown, so a cell may hold math (``$6 \\times 6$``) or emphasis.

    Args:
        rows: The rows, each a sequence of cell values (or a mapping from header to value).
        headers: The column headers (taken from the first mapping when ``rows`` are mappings).
        align: ``"left"``, ``"right"`` or ``"center"`` per column (or one for all); by default
            numeric columns are right-aligned and the others left-aligned.

    Example:
        ```python
        Table([("CONV3-10", 280), ("FC-10", 1810)], headers=["layer", "parameters"])
        ```
    """

    def __init__(
        self,
        rows: Iterable[Sequence[Any] | Mapping[str, Any]],
        headers: Sequence[str] | None = None,
        align: str | Sequence[str] | None = None,
    ) -> None:
        materialised = list(rows)
        mappings = [row for row in materialised if isinstance(row, Mapping)]
        if materialised and len(mappings) == len(materialised):
            headers = list(headers or mappings[0].keys())
            self.rows: list[list[Any]] = [[row.get(name, "") for name in headers] for row in mappings]
        else:
            self.rows = [list(row) for row in materialised]
        width = max([len(row) for row in self.rows] + [len(headers or ())])
        self.headers: list[str] = list(headers) if headers is not None else [""] * width
        if any(len(row) != width for row in self.rows) or len(self.headers) != width:
            raise ValueError(f"every row of a Table needs {width} cells (the widest row or the headers)")
        if isinstance(align, str) or align is None:
            self.align = [align or self._natural_alignment(column) for column in range(width)]
        else:
            self.align = list(align)
        for choice in self.align:
            if choice not in {"left", "right", "center"}:
                raise ValueError(f"alignment {choice!r} is not one of 'left', 'right', 'center'")

    def _natural_alignment(self, column: int) -> str:
        values = [row[column] for row in self.rows]
        numeric = values and all(isinstance(value, numbers.Number) for value in values)
        return "right" if numeric else "left"

    def _repr_markdown_(self) -> str:
        rules = {"left": ":--", "right": "--:", "center": ":-:"}
        lines = [
            _row([_escape(header) for header in self.headers]),
            _row([rules[choice] for choice in self.align]),
        ]
        lines.extend(_row([format_cell(value) for value in row]) for row in self.rows)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Table({len(self.rows)} rows × {len(self.headers)} columns)"


def format_cell(value: Any) -> str:
    """How a table writes a value: ``96,096``, ``141.667``, ``425/3``, or ``str(value)``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, Fraction):
        return f"{value.numerator:,}/{value.denominator:,}" if value.denominator != 1 else f"{value.numerator:,}"
    if isinstance(value, numbers.Real):
        return f"{float(value):,.6g}"
    return _escape(str(value))


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
