"""Turn a scanned page into the program to run and everything assembly needs to put results back."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..wire import CodeCell, PageProgram
from .diagnostics import Diagnostic
from .inline import InlineSplit, split_inline
from .options import BlockOptions, OptionText, parse_options
from .scan import Block, InlineCode, Segment, scan_inline, scan_page

__all__ = ["PagePlan", "PlannedBlock", "PlannedInline", "plan_page"]


@dataclass(frozen=True)
class PlannedInline:
    """An inline expression or claim, and the index of its cell."""

    segment: InlineCode
    split: InlineSplit
    cell: int


@dataclass(frozen=True)
class PlannedBlock:
    """A block, its options, the index of its cell (``None``: it cannot run), its caption and alt text."""

    segment: Block
    options: BlockOptions
    cell: int | None
    caption: tuple[Segment | PlannedInline, ...] = ()
    alt: tuple[Segment | PlannedInline, ...] = ()


@dataclass
class PagePlan:
    """A page ready to run.

    Attributes:
        path: The page's path relative to the project (``docs/q4.md``).
        src_uri: The page's path relative to the docs folder (``q4.md``), for relative links.
        items: The page in order: text segments, planned inlines and planned blocks.
        program: The code to run.
        problems: What is wrong before anything runs (bad options, an unclosed block, a duplicate label).
        figure_numbers: ``label -> N`` for the page's labelled figures, in page order.
    """

    path: str
    src_uri: str
    items: list[Segment | PlannedInline | PlannedBlock]
    program: PageProgram
    problems: list[Diagnostic] = field(default_factory=list)
    figure_numbers: dict[str, int] = field(default_factory=dict)

    @property
    def has_code(self) -> bool:
        """Whether the page has any block or inline code."""
        return any(isinstance(item, (PlannedInline, PlannedBlock)) for item in self.items)


def plan_page(markdown: str, *, path: str, src_uri: str, first_line: int = 1, source: str = "", math: bool = True) -> PagePlan:
    """Scan a page and plan its program.

    Args:
        markdown: The page's Markdown (front matter removed).
        path: The page's path relative to the project, used in every message and traceback.
        src_uri: The page's path relative to the docs folder.
        first_line: The file line on which ``markdown`` starts.
        source: The whole file as written (for tracebacks); ``markdown`` if empty.
        math: Whether display math renders on the site.
    """
    planner = _Planner(path)
    items = [planner.plan(segment) for segment in scan_page(markdown, first_line)]
    program = PageProgram(path, tuple(planner.cells), source or ("\n" * (first_line - 1) + markdown), math)
    return PagePlan(path, src_uri, items, program, planner.problems, planner.figure_numbers)


class _Planner:
    """Collects cells in page order: a block's caption and alt text run right after the block."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.cells: list[CodeCell] = []
        self.problems: list[Diagnostic] = []
        self.figure_numbers: dict[str, int] = {}

    def plan(self, segment: Segment) -> Segment | PlannedInline | PlannedBlock:
        if isinstance(segment, InlineCode):
            return self._inline(segment)
        if isinstance(segment, Block):
            return self._block(segment)
        return segment

    def _inline(self, segment: InlineCode) -> PlannedInline:
        split = split_inline(segment.code)
        self.cells.append(CodeCell("inline", split.expression, segment.line, segment.code_col))
        return PlannedInline(segment, split, len(self.cells) - 1)

    def _text(self, option: OptionText | None) -> tuple[Segment | PlannedInline, ...]:
        if option is None:
            return ()
        parts = scan_inline(option.text, option.line, option.col)
        return tuple(self._inline(part) if isinstance(part, InlineCode) else part for part in parts)

    def _block(self, segment: Block) -> PlannedBlock:
        options = parse_options(segment, self.path)
        self.problems.extend(options.problems)
        if not segment.closed:
            message = "this ```{python} block is never closed: end it with ``` on a line of its own"
            self.problems.append(Diagnostic(self.path, segment.line, None, message))
            return PlannedBlock(segment, options, None)
        if options.label is not None:
            if options.label in self.figure_numbers:
                message = f"the label `{options.label}` is used by an earlier block on this page"
                self.problems.append(Diagnostic(self.path, segment.line, None, message))
            else:
                self.figure_numbers[options.label] = len(self.figure_numbers) + 1
        code = "\n".join(segment.body[options.lines :])
        show = options.output != "false"
        self.cells.append(CodeCell("block", code, segment.body_line + options.lines, segment.indent_width + 1, show))
        index = len(self.cells) - 1
        return PlannedBlock(segment, options, index, self._text(options.fig_cap), self._text(options.fig_alt))
