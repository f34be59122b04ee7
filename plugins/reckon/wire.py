"""What crosses between the MkDocs process and a page process: the program in, the result out.

A page asks to run a :class:`PageProgram`; running it gives a :class:`ProgramResult`, in which each
inline value travels as a :data:`Comparable`. All of it is plain data: it crosses the process
boundary, is stored in the cache as JSON, and a claim is re-checked against a cached comparable
without running any code. A program's cache key covers its code, never its prose.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import json
import math
import os
import re
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any, Literal, TypedDict

__all__ = [
    "ABSENT",
    "NO_VALUE",
    "BlockResult",
    "CellError",
    "CellResult",
    "CodeCell",
    "Comparable",
    "FigureImages",
    "InlineResult",
    "NumberValue",
    "PageProgram",
    "ProgramResult",
    "RenderedValue",
    "exact_value",
    "listing_digest",
]

_SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt" height="([\d.]+)pt"')

#: The digest of a dependency that did not exist: creating it invalidates the result.
ABSENT = "absent"


def listing_digest(folder: str) -> str:
    """A digest of the names in ``folder`` (which files are there, not what they hold).

    A result depends on a folder's listing where the code looked for a file that was not there
    (an import of a page-local module): the page process records it, the cache checks it.
    """
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return ABSENT
    return hashlib.sha256("\n".join(names).encode("utf-8", "surrogateescape")).hexdigest()


class BoolValue(TypedDict):
    t: Literal["bool"]
    v: bool


class IntValue(TypedDict):
    t: Literal["int"]
    v: int


class FloatValue(TypedDict):
    t: Literal["float"]
    v: float


class FractionValue(TypedDict):
    t: Literal["fraction"]
    n: int
    d: int


class StrValue(TypedDict):
    t: Literal["str"]
    v: str


class SequenceValue(TypedDict):
    t: Literal["seq"]
    items: list[NumberValue]


class SetValue(TypedDict):
    t: Literal["set"]
    items: list[NumberValue]  # sorted


class OtherValue(TypedDict):
    """A value no claim can match: kept as its type's name and a short ``repr``, for the message."""

    t: Literal["other"]
    type: str
    repr: str


#: A single computed number as a claim sees it.
NumberValue = BoolValue | IntValue | FloatValue | FractionValue
#: A computed value as a claim sees it, tagged by ``t``.
Comparable = NumberValue | StrValue | SequenceValue | SetValue | OtherValue
#: What a claim is checked against when its expression gave no value at all.
NO_VALUE: OtherValue = {"t": "other", "type": "None", "repr": "None"}


def exact_value(item: NumberValue) -> Fraction | float:
    """The number exactly (a float only where it is not finite)."""
    if item["t"] == "fraction":
        return Fraction(item["n"], item["d"])
    if item["t"] == "float":
        return item["v"] if not math.isfinite(item["v"]) else Fraction(item["v"])
    return Fraction(int(item["v"]))


@dataclass(frozen=True)
class CodeCell:
    """One piece of code to run: a block, or an inline expression.

    Attributes:
        kind: ``"block"`` or ``"inline"``.
        code: The block's body (options removed) or the inline expression.
        line: The file line of the code's first line.
        col: The file column of the code's first character (for blocks, where the dedented body starts).
        show: For blocks: whether the output is shown (``output`` is not ``false``, ``include``
            is not ``false``); a block whose output is hidden draws no figure and renders no value.
        warnings: For blocks: whether the Python warnings it raises are kept (``warning``).
        allow_error: For blocks: an exception is part of the output (``error: true``), not a failure.
        fig_width: For blocks: the width of its figures in inches (``None``: the default).
        fig_height: For blocks: the height of its figures in inches (``None``: the default).
    """

    kind: str
    code: str
    line: int
    col: int = 1
    show: bool = True
    warnings: bool = True
    allow_error: bool = False
    fig_width: float | None = None
    fig_height: float | None = None

    def key_data(self) -> list[Any]:
        """What of the cell decides its result (its position does not)."""
        return [self.kind, self.code, self.show, self.warnings, self.allow_error, self.fig_width, self.fig_height]


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
    """A figure drawn once, as one SVG that shows either palette (see :mod:`reckon.run.figures`)."""

    svg: str

    def pixel_size(self) -> tuple[int, int] | None:
        """The SVG's size in CSS pixels (matplotlib writes points), or ``None`` if it does not say.

        On the ``<img>``, it lets the page keep the figure's room before the file arrives, so that a
        jump to ``#fig-…`` lands where the figure will be.
        """
        match = _SVG_SIZE.search(self.svg)
        if match is None:
            return None
        return round(float(match[1]) * 4 / 3), round(float(match[2]) * 4 / 3)


@dataclass(frozen=True)
class RenderedValue:
    """A block's final value as Markdown (``markdown``) or as text to show in a code block (``code``)."""

    kind: str
    text: str


@dataclass(frozen=True)
class BlockResult:
    """What a block gave: printed output, its final value, its figures, or an error.

    ``raised`` is an exception the block was allowed to raise (``error: true``): it is shown in
    the page like output, and is not a failure; ``error`` is one that fails the page.
    """

    output: str = ""
    omitted: int = 0  # characters of output not kept (the page shows a notice)
    value: RenderedValue | None = None
    figures: tuple[FigureImages, ...] = ()
    checks: int = 0  # assert statements that ran and passed
    error: CellError | None = None
    warnings: tuple[str, ...] = ()  # the Python warnings it raised, as `where: Category: message`
    raised: CellError | None = None

    def quoted_text(self) -> str:
        """Everything it shows as text: the page's line numbers in it tie the result to where the code stands."""
        return "\n".join([self.output, *self.warnings, self.raised.traceback if self.raised else ""])


@dataclass(frozen=True)
class InlineResult:
    """What an inline expression gave: its text, its value as comparable data, or an error."""

    text: str = ""
    comparable: Comparable | None = None
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

    def relocated(self, lines: tuple[int, ...], path: str) -> ProgramResult:
        """This result for the same cells standing at ``lines`` instead (prose above them changed).

        Every line of ``path`` that it quotes (in printed output, warnings, tracebacks, errors)
        moves with the cell it falls in, so a cached result reads as a fresh run would.
        """
        if len(lines) != len(self.lines) or not self.lines:
            return dataclasses.replace(self, lines=lines)
        starts, shifts = list(self.lines), [new - old for old, new in zip(self.lines, lines, strict=True)]

        def moved(line: int) -> int:
            return line + shifts[max(0, bisect.bisect_right(starts, line) - 1)]

        quoted = re.compile(rf'(?P<lead>{re.escape(path)}:|File "{re.escape(path)}", line )(?P<line>\d+)')

        def text(value: str) -> str:
            return quoted.sub(lambda match: f"{match['lead']}{moved(int(match['line']))}", value)

        def error(value: CellError | None) -> CellError | None:
            if value is None:
                return None
            return dataclasses.replace(value, line=moved(value.line), message=text(value.message), traceback=text(value.traceback))

        def cell(value: CellResult | None) -> CellResult | None:
            if isinstance(value, BlockResult):
                return dataclasses.replace(
                    value,
                    output=text(value.output),
                    warnings=tuple(map(text, value.warnings)),
                    error=error(value.error),
                    raised=error(value.raised),
                )
            if isinstance(value, InlineResult):
                return dataclasses.replace(value, error=error(value.error))
            return value

        return dataclasses.replace(self, cells=tuple(map(cell, self.cells)), error=error(self.error), lines=lines)

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
    warnings = tuple(str(warning) for warning in data.pop("warnings", ()))
    raised = _error_from_data(data.pop("raised", None))
    return BlockResult(
        value=None if value is None else RenderedValue(**value), figures=figures, error=error, warnings=warnings, raised=raised, **data
    )
