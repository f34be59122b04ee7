"""What a page asks to run (:class:`PageProgram`) and what running it gave (:class:`ProgramResult`).

Both are plain data: they cross from the MkDocs process to a page process and back, and results
are stored in the cache as JSON. A program's cache key covers its code, never its prose.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "CodeCell",
    "PageProgram",
    "CellError",
    "FigureImages",
    "RenderedValue",
    "BlockResult",
    "InlineResult",
    "CellResult",
    "ProgramResult",
]


@dataclass(frozen=True)
class CodeCell:
    """One piece of code to run: a block, or an inline expression.

    Attributes:
        kind: ``"block"`` or ``"inline"``.
        code: The block's body (options removed) or the inline expression.
        line: The file line of the code's first line.
        col: The file column of the code's first character (for blocks, where the dedented body starts).
        show: For blocks: whether the output is shown (``output`` is not ``false``); a block whose
            output is hidden draws no figure and renders no value.
    """

    kind: str
    code: str
    line: int
    col: int = 1
    show: bool = True

    def key_data(self) -> list[Any]:
        """What of the cell decides its result (its position does not)."""
        return [self.kind, self.code, self.show]


@dataclass(frozen=True)
class PageProgram:
    """A page's code cells, in page order, all run in one fresh namespace.

    Attributes:
        path: The page's path relative to the project (``docs/q4.md``): tracebacks name it.
        cells: The cells, in page order.
        source: The whole file as written, so that tracebacks show Markdown lines.
        math: Whether display math renders on the site (NumPy arrays become LaTeX matrices).
    """

    path: str
    cells: tuple[CodeCell, ...]
    source: str = field(default="", compare=False)
    math: bool = True

    def cache_key(self, environment: str) -> str:
        """A digest of everything the results depend on but the page's prose.

        Args:
            environment: The versions of reckon, Python, NumPy and matplotlib (see ``cache.py``).
        """
        data = [environment, self.path, self.math, [cell.key_data() for cell in self.cells]]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class CellError:
    """A failure while running a cell.

    Attributes:
        kind: ``exception``, ``syntax``, ``timeout`` or ``crash``.
        line: The file line to report (the deepest frame in the page).
        col: The file column, when known.
        message: One line, e.g. ``ZeroDivisionError: division by zero``.
        traceback: The traceback, naming Markdown lines (engine frames removed).
    """

    kind: str
    line: int
    col: int | None
    message: str
    traceback: str = ""


@dataclass(frozen=True)
class FigureImages:
    """A figure drawn once, as one SVG that shows either palette (see :mod:`reckon.figures`)."""

    svg: str


@dataclass(frozen=True)
class RenderedValue:
    """A block's final value as Markdown (``markdown``) or as text to show in a code block (``code``)."""

    kind: str
    text: str


@dataclass(frozen=True)
class BlockResult:
    """What a block gave: printed output, its final value, its figures, or an error."""

    output: str = ""
    omitted: int = 0  # characters of output not kept (the page shows a notice)
    value: RenderedValue | None = None
    figures: tuple[FigureImages, ...] = ()
    checks: int = 0  # assert statements that ran and passed
    error: CellError | None = None


@dataclass(frozen=True)
class InlineResult:
    """What an inline expression gave: its text, its value as comparable data, or an error."""

    text: str = ""
    comparable: dict[str, Any] | None = None
    error: CellError | None = None


CellResult = BlockResult | InlineResult


@dataclass(frozen=True)
class ProgramResult:
    """The results of a page's cells (``None`` for a cell that did not run), and what they read.

    Attributes:
        cells: One entry per cell of the program.
        dependencies: ``(path, sha256)`` of every project file the code imported or opened.
        seconds: How long the page took to run.
        error: A failure of the page as a whole (its process died or timed out).
        mentions_lines: Whether the output quotes the page's own line numbers (a warning does),
            in which case moving the code invalidates the result.
        lines: The lines the cells stood on when they ran.
    """

    cells: tuple[CellResult | None, ...]
    dependencies: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
    error: CellError | None = None
    mentions_lines: bool = False
    lines: tuple[int, ...] = ()

    @property
    def failed(self) -> bool:
        """Whether any cell, or the page as a whole, failed (such results are never cached)."""
        return self.error is not None or any(cell is not None and cell.error is not None for cell in self.cells)

    def to_data(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {
            "cells": [None if cell is None else {"type": type(cell).__name__, **asdict(cell)} for cell in self.cells],
            "dependencies": [list(pair) for pair in self.dependencies],
            "seconds": self.seconds,
            "error": None if self.error is None else asdict(self.error),
            "mentions_lines": self.mentions_lines,
            "lines": list(self.lines),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ProgramResult:
        """Rebuild a result from :meth:`to_data`'s output.

        Raises:
            KeyError, TypeError, ValueError: The data is not a result (a corrupt cache entry).
        """
        return cls(
            cells=tuple(_cell_from_data(cell) for cell in data["cells"]),
            dependencies=tuple((str(path), str(digest)) for path, digest in data["dependencies"]),
            seconds=float(data["seconds"]),
            error=_error_from_data(data["error"]),
            mentions_lines=bool(data["mentions_lines"]),
            lines=tuple(int(line) for line in data["lines"]),
        )


def _error_from_data(data: dict[str, Any] | None) -> CellError | None:
    return None if data is None else CellError(**data)


def _cell_from_data(data: dict[str, Any] | None) -> CellResult | None:
    if data is None:
        return None
    data = dict(data)
    kind = data.pop("type")
    error = _error_from_data(data.pop("error"))
    if kind == "InlineResult":
        return InlineResult(error=error, **data)
    if kind != "BlockResult":
        raise ValueError(f"unknown cell result {kind!r}")
    value = data.pop("value")
    figures = tuple(FigureImages(**figure) for figure in data.pop("figures"))
    return BlockResult(value=None if value is None else RenderedValue(**value), figures=figures, error=error, **data)
