"""Turn a scanned page into the program to run and everything assembly needs to put results back."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..wire import CodeCell, PageProgram
from .diagnostics import Diagnostic
from .inline import InlineSplit, split_inline
from .options import BlockOptions, OptionText, page_defaults, parse_options
from .scan import Block, InlineCode, Segment, scan_inline, scan_page

__all__ = ["NOT_RUN", "PagePlan", "PlannedBlock", "PlannedInline", "plan_page"]

#: Why a block is not run, by the ``skipped`` of its :class:`PlannedBlock`.
NOT_RUN = {
    "eval": "`eval: false`",
    "options": "its options are wrong",
    "page": "the page's `execute` options are wrong",
}


@dataclass(frozen=True)
class PlannedInline:
    """An inline expression or claim, and the index of its cell (``None``: nothing on the page runs)."""

    segment: InlineCode
    split: InlineSplit
    cell: int | None


@dataclass(frozen=True)
class PlannedBlock:
    """A block, its options, the index of its cell, its captions and alt text.

    Attributes:
        cell: The index of its cell; ``None`` when it does not run.
        skipped: Why it does not run (a key of :data:`NOT_RUN`; ``""`` for a block that runs or is
            never closed).
    """

    segment: Block
    options: BlockOptions
    cell: int | None
    caption: tuple[Segment | PlannedInline, ...] = ()
    alt: tuple[Segment | PlannedInline, ...] = ()
    table_caption: tuple[Segment | PlannedInline, ...] = ()
    skipped: str = ""


@dataclass
class PagePlan:
    """A page ready to run.

    Attributes:
        path: The page's path relative to the project (``docs/q4.md``).
        src_uri: The page's path relative to the docs folder (``q4.md``), for relative links.
        items: The page in order: text segments, planned inlines and planned blocks.
        program: The code to run.
        problems: What is wrong before anything runs (bad options, an unclosed block, a duplicate label).
        figure_numbers: ``label -> N`` for the page's ``fig-`` labels, in page order.
        table_numbers: ``label -> N`` for the page's ``tbl-`` labels, in page order.
        undefined: Names that blocks which do not run would have defined: ``name -> (line, why)``.
    """

    path: str
    src_uri: str
    items: list[Segment | PlannedInline | PlannedBlock]
    program: PageProgram
    problems: list[Diagnostic] = field(default_factory=list)
    figure_numbers: dict[str, int] = field(default_factory=dict)
    table_numbers: dict[str, int] = field(default_factory=dict)
    undefined: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def has_code(self) -> bool:
        """Whether the page has any block or inline code."""
        return any(isinstance(item, (PlannedInline, PlannedBlock)) for item in self.items)


def plan_page(
    markdown: str,
    *,
    path: str,
    src_uri: str,
    first_line: int = 1,
    source: str = "",
    math: bool = True,
    defaults: Mapping[str, Any] | None = None,
) -> PagePlan:
    """Scan a page and plan its program.

    Args:
        markdown: The page's Markdown (front matter removed).
        path: The page's path relative to the project, used in every message and traceback.
        src_uri: The page's path relative to the docs folder.
        first_line: The file line on which ``markdown`` starts.
        source: The whole file as written (for tracebacks and the front matter's ``execute:``);
            ``markdown`` if empty.
        math: Whether display math renders on the site.
        defaults: The site's defaults for block options (read with :func:`reckon.options.read_defaults`).
    """
    source = source or ("\n" * (first_line - 1) + markdown)
    page_options, problems = page_defaults(source, first_line, path, defaults)
    planner = _Planner(path, page_options, blocked=bool(problems))
    planner.problems.extend(problems)
    items = [planner.plan(segment) for segment in scan_page(markdown, first_line)]
    program = PageProgram(path, tuple(planner.cells), source, math)
    return PagePlan(path, src_uri, items, program, planner.problems, planner.figure_numbers, planner.table_numbers, planner.undefined)


class _Planner:
    """Collects cells in page order: a block's caption and alt text run right after the block."""

    def __init__(self, path: str, defaults: Mapping[str, Any], blocked: bool) -> None:
        self.path = path
        self.defaults = defaults
        self.blocked = blocked  # the page's own options are wrong: nothing on it runs
        self.cells: list[CodeCell] = []
        self.problems: list[Diagnostic] = []
        self.figure_numbers: dict[str, int] = {}
        self.table_numbers: dict[str, int] = {}
        self.labels: set[str] = set()
        self.undefined: dict[str, tuple[int, str]] = {}

    def plan(self, segment: Segment) -> Segment | PlannedInline | PlannedBlock:
        if isinstance(segment, InlineCode):
            return self._inline(segment)
        if isinstance(segment, Block):
            return self._block(segment)
        return segment

    def _inline(self, segment: InlineCode) -> PlannedInline:
        split = split_inline(segment.code)
        if self.blocked:
            return PlannedInline(segment, split, None)
        self.cells.append(CodeCell("inline", split.expression, segment.line, segment.code_col))
        return PlannedInline(segment, split, len(self.cells) - 1)

    def _text(self, option: OptionText | None) -> tuple[Segment | PlannedInline, ...]:
        if option is None:
            return ()
        parts = scan_inline(option.text, option.line, option.col)
        return tuple(self._inline(part) if isinstance(part, InlineCode) else part for part in parts)

    def _block(self, segment: Block) -> PlannedBlock:
        options = parse_options(segment, self.path, self.defaults)
        self.problems.extend(options.problems)
        if not segment.closed:
            message = "this ```{python} block is never closed: end it with ``` on a line of its own"
            self.problems.append(Diagnostic(self.path, segment.line, None, message))
            return PlannedBlock(segment, options, None)
        label_problem = self._label(segment, options)
        code = "\n".join(segment.body[options.lines :])
        skipped = "page" if self.blocked else "options" if options.problems or label_problem else "" if options.eval else "eval"
        if skipped:
            for name in _names_bound(code):
                self.undefined.setdefault(name, (segment.line, NOT_RUN[skipped]))
            return PlannedBlock(segment, options, None, skipped=skipped)
        cell = CodeCell(
            "block",
            code,
            segment.body_line + options.lines,
            segment.indent_width + 1,
            show=options.shows_output,
            warnings=options.warning,
            allow_error=options.error,
            fig_width=options.fig_width,
            fig_height=options.fig_height,
        )
        self.cells.append(cell)
        index = len(self.cells) - 1
        return PlannedBlock(segment, options, index, self._text(options.fig_cap), self._text(options.fig_alt), self._text(options.tbl_cap))

    def _label(self, segment: Block, options: BlockOptions) -> bool:
        """Number the block's label; ``True`` if it is already taken (a problem: the block does not run)."""
        label = options.label
        if label is None:
            return False
        if label in self.labels:
            message = f"the label `{label}` is used by an earlier block on this page"
            self.problems.append(Diagnostic(self.path, segment.line, None, message))
            return True
        self.labels.add(label)
        if label.startswith("fig-"):
            self.figure_numbers[label] = len(self.figure_numbers) + 1
        elif label.startswith("tbl-"):
            self.table_numbers[label] = len(self.table_numbers) + 1
        return False


def _names_bound(code: str) -> list[str]:
    """The names a block's top level binds (assignments, imports, definitions), if it parses."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names: list[str] = []
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(statement.name)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            names.extend((alias.asname or alias.name).split(".")[0] for alias in statement.names if alias.name != "*")
        else:
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.append(node.id)
    return names
