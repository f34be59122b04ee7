"""Run a page's cells, in order, in one fresh namespace (inside a page process).

Code is compiled under the page's own path with its Markdown line numbers, and with columns shifted
to where the code stands on the line of the file (inside an admonition, after prose), so a traceback
reads ``File "docs/q4.md", line 31``, shows the Markdown line with its carets under the right
characters, and every column reported counts the characters of the file's line. Execution stops at the first block
that raises: later cells would only fail on names it never defined. An inline expression that
raises is reported and the page goes on, and so does a block allowed to raise (``error: true``).

The Python warnings a block raises are kept apart from its output, to be shown as warnings (or
dropped, with ``warning: false``); the filters a page sets stay set for its later blocks.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import linecache
import os
import sys
import traceback
import types
import warnings
from collections.abc import Callable
from typing import Any, cast

from ..limits import MESSAGE_LIMIT, TEXT_LIMIT, WARNINGS_LIMIT
from ..wire import BlockResult, CellError, CellResult, CodeCell, InlineResult, PageProgram
from . import ENGINE_DIR, figures
from .comparable import to_comparable
from .values import render_value

__all__ = ["OUTPUT_LIMIT", "NativeOutputReader", "OutputBuffer", "execute_program"]

OUTPUT_LIMIT = TEXT_LIMIT  # characters of printed output a block keeps
TRACEBACK_FRAMES = 100  # the innermost frames a traceback keeps (a deep recursion has a million)
_CHECK_COUNTER = "__reckon_check__"
#: The kinds of syntax node that carry a position (``ast.AST`` itself declares none).
_LOCATED = (ast.expr, ast.stmt, ast.excepthandler, ast.arg, ast.keyword, ast.alias, ast.pattern)

#: Passes what native code wrote since the last call, piece by piece, to the function it is given.
NativeOutputReader = Callable[[Callable[[str], object]], None]


class OutputBuffer:
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int = OUTPUT_LIMIT) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.kept = 0
        self.omitted = 0

    def write(self, text: str) -> int:
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.omitted += max(0, len(text) - max(room, 0))
        return len(text)

    def flush(self) -> None:
        """Nothing to flush: output is kept in memory."""

    def isatty(self) -> bool:
        return False

    def getvalue(self) -> str:
        return "".join(self.parts)


def execute_program(
    program: PageProgram,
    *,
    on_start: Callable[[int], None] = lambda index: None,
    on_result: Callable[[int, CellResult], None] = lambda index, result: None,
    read_native_output: NativeOutputReader = lambda write: None,
    as_main: bool = True,
) -> list[CellResult | None]:
    """Run every cell of ``program`` and report each as it starts and finishes.

    Args:
        program: The page's cells.
        on_start: Called with a cell's index before it runs (the parent times cells by it).
        on_result: Called with a cell's index and result when it finishes.
        read_native_output: Passes what native code wrote to the process's stdout/stderr since
            the last call, piece by piece, to the function it is given, so that a block shows it
            with its own output.
        as_main: Run as the process's ``__main__`` module (a page process); ``False`` when a
            page previews a snippet inside its own process.

    Returns:
        One result per cell; ``None`` for cells after a block that failed.
    """
    module = types.ModuleType("__main__")
    module.__file__ = program.path
    if as_main:
        sys.modules["__main__"] = module
    namespace = module.__dict__
    checks = [0]

    def count_check() -> None:
        checks[0] += 1

    namespace[_CHECK_COUNTER] = count_check
    lines = program.source.split("\n")  # as the scanner and Python's tokenizer split lines
    linecache.cache[program.path] = (len(program.source), None, [line + "\n" for line in lines], program.path)
    results: list[CellResult | None] = [None] * len(program.cells)
    for index, cell in enumerate(program.cells):
        on_start(index)
        if cell.kind == "block":
            before = checks[0]
            block = _run_block(cell, namespace, program, lines, read_native_output)
            result: CellResult = dataclasses.replace(block, checks=checks[0] - before)
        else:
            result = _run_inline(cell, namespace, program.path, lines)
        results[index] = result
        on_result(index, result)
        if cell.kind == "block" and result.error is not None:
            break
    return results


def _run_block(
    cell: CodeCell, namespace: dict[str, Any], program: PageProgram, lines: list[str], read_native_output: NativeOutputReader
) -> BlockResult:
    path = program.path
    try:
        tree = ast.parse("\n" * (cell.line - 1) + cell.code, filename=path, mode="exec")
    except SyntaxError as problem:
        unreadable = _syntax_error(problem, cell, lines)
        return BlockResult(raised=unreadable) if cell.allow_error else BlockResult(error=unreadable)
    tree = _CountAssertions().visit(tree)
    ast.fix_missing_locations(tree)
    _to_file_columns(tree, cell, lines)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    if last is not None and _ends_with_semicolon(cell, last, lines):
        tree.body.append(last)
        last = None
    buffer = OutputBuffer()
    value: Any = None
    failure: CellError | None = None
    figures.prepare()
    _size_figures(cell)
    with _WarningsOf(cell, path) as caught:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            try:
                exec(compile(tree, path, "exec", dont_inherit=True, optimize=0), namespace)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), path, "eval", dont_inherit=True, optimize=0), namespace)
            except BaseException as exception:  # SystemExit and KeyboardInterrupt are a page's errors too
                failure = _exception_error(exception, cell, path, lines)
        read_native_output(buffer.write)
        raised = failure if cell.allow_error else None
        if (failure is not None and raised is None) or not cell.show:
            figures.discard()
            return BlockResult(buffer.getvalue(), buffer.omitted, error=None if raised else failure)
        try:
            rendered = render_value(value, math=program.math)
            images = figures.capture(value)
        except Exception as exception:  # a value whose _repr_markdown_ or savefig raises
            figures.discard()
            return BlockResult(buffer.getvalue(), buffer.omitted, error=_exception_error(exception, cell, path, lines))
    return BlockResult(buffer.getvalue(), buffer.omitted, rendered, images, warnings=caught.shown(), raised=raised)


def _size_figures(cell: CodeCell) -> None:
    """Give the figures the block creates its ``fig-width`` and ``fig-height`` (the next block starts from the house style)."""
    if cell.fig_width is None and cell.fig_height is None:
        return
    import matplotlib

    width, height = matplotlib.rcParams["figure.figsize"]
    matplotlib.rcParams["figure.figsize"] = (cell.fig_width or width, cell.fig_height or height)


class _WarningsOf:
    """Record the Python warnings a block raises (or ignore them), keeping the filters the page sets."""

    def __init__(self, cell: CodeCell, path: str) -> None:
        self.cell = cell
        self.path = path
        self.recorder = warnings.catch_warnings(record=True)
        self.caught: list[warnings.WarningMessage] = []
        self.ours: Any = None

    def __enter__(self) -> _WarningsOf:
        log = self.recorder.__enter__()  # the list it records into (empty, so not `or []`)
        self.caught = log if log is not None else []
        if not self.cell.warnings:
            warnings.simplefilter("ignore")
            self.ours = warnings.filters[0]
        return self

    def __exit__(self, *exc_info: object) -> None:
        kept = [entry for entry in warnings.filters if entry is not self.ours]
        self.recorder.__exit__(None, None, None)
        cast("list[Any]", warnings.filters)[:] = kept  # what the page's code set applies to its later blocks too

    def shown(self) -> tuple[str, ...]:
        """``docs/page.md:5: UserWarning: message`` for each warning (the first few, bounded)."""
        texts: list[str] = []
        room = TEXT_LIMIT
        for caught in self.caught[:WARNINGS_LIMIT]:
            where = self.path if caught.filename == self.path else os.path.basename(caught.filename)
            text = f"{where}:{caught.lineno}: {caught.category.__name__}: {caught.message}"
            if len(text) > room:
                text = text[:room] + f" … ({len(text) - room:,} more characters not shown)"
            room = max(0, room - len(text))
            texts.append(text)
        if len(self.caught) > WARNINGS_LIMIT:
            texts.append(f"… and {len(self.caught) - WARNINGS_LIMIT:,} more warnings not shown")
        return tuple(texts)


def _run_inline(cell: CodeCell, namespace: dict[str, Any], path: str, lines: list[str]) -> InlineResult:
    code = cell.code.strip()
    if not code:
        return InlineResult(error=CellError("syntax", cell.line, cell.col, "the inline code has no expression after {python}"))
    try:
        tree = ast.parse(code, filename=path, mode="eval")
    except SyntaxError as syntax_error:
        return InlineResult(error=_syntax_error(syntax_error, cell, lines))
    ast.increment_lineno(tree, cell.line - 1)
    _to_file_columns(tree, cell, lines)
    try:
        with contextlib.redirect_stdout(OutputBuffer()), contextlib.redirect_stderr(OutputBuffer()):
            value = eval(compile(tree, path, "eval", dont_inherit=True), namespace)
            text = value if isinstance(value, str) else str(value)
        if len(text) > OUTPUT_LIMIT:  # prose is no place for it, nor the cache
            message = f"`{code}` is {len(text):,} characters long; an inline value may be at most {OUTPUT_LIMIT:,} (show it from a block)"
            return InlineResult(error=CellError("value", cell.line, cell.col, message))
        return InlineResult(text, to_comparable(value))
    except BaseException as exception:
        return InlineResult(error=_exception_error(exception, cell, path, lines))


class _CountAssertions(ast.NodeTransformer):
    """After every ``assert``, count it: the page's note says how many checks passed."""

    def visit_Assert(self, node: ast.Assert) -> list[ast.stmt]:
        count = ast.Expr(ast.Call(ast.Name(_CHECK_COUNTER, ast.Load()), [], []))
        return [node, ast.copy_location(count, node)]


def _ends_with_semicolon(cell: CodeCell, node: ast.stmt, lines: list[str]) -> bool:
    """Whether the last statement ends with ``;`` (as in Jupyter, that hides the value)."""
    text, _start = _file_line(cell, node.end_lineno or node.lineno, lines)
    rest = text.encode("utf-8")[node.end_col_offset or 0 :].decode("utf-8", errors="replace")
    return rest.split("#", 1)[0].strip().startswith(";")


def _file_line(cell: CodeCell, lineno: int, lines: list[str]) -> tuple[str, int]:
    """The file's line ``lineno`` (without its end) and the character at which ``cell``'s code starts on it.

    A block's code is its dedented body, so each of its lines ends a line of the file; an inline
    expression starts at the cell's column. Where the source does not hold the code (a program made
    without its page), the line is rebuilt from the code, indented to the cell's column.
    """
    code_lines = cell.code.strip().split("\n") if cell.kind == "inline" else cell.code.split("\n")
    index = lineno - cell.line
    code = code_lines[index] if 0 <= index < len(code_lines) else ""
    if 0 < lineno <= len(lines):
        text = lines[lineno - 1].rstrip("\r")
        start = cell.col - 1 if cell.kind == "inline" and index == 0 else len(text) - len(code)
        if start >= 0 and text[start:].startswith(code):
            return text, start
    return " " * (cell.col - 1) + code, cell.col - 1


def _to_file_columns(tree: ast.AST, cell: CodeCell, lines: list[str]) -> None:
    """Shift the code's columns (UTF-8 byte offsets, as Python counts them) to those of the file's lines."""
    shifts: dict[int, int] = {}

    def shift(lineno: int) -> int:
        if lineno not in shifts:
            text, start = _file_line(cell, lineno, lines)
            shifts[lineno] = len(text[:start].encode("utf-8"))
        return shifts[lineno]

    for node in ast.walk(tree):
        if isinstance(node, _LOCATED):
            node.col_offset += shift(node.lineno)
            if node.end_col_offset is not None and node.end_lineno is not None:
                node.end_col_offset += shift(node.end_lineno)


def _column(lines: list[str], lineno: int, offset: int) -> int:
    """The 1-based character column of a UTF-8 byte ``offset`` on the file's line ``lineno``."""
    text = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    return len(text.encode("utf-8")[:offset].decode("utf-8", errors="replace")) + 1


def _syntax_error(error: SyntaxError, cell: CodeCell, lines: list[str]) -> CellError:
    # A SyntaxError counts its offset in characters of the code's line, not in bytes.
    line = cell.line + (error.lineno or 1) - 1 if cell.kind == "inline" else error.lineno or cell.line
    _text, start = _file_line(cell, line, lines)
    col = (error.offset or 1) + start
    name = type(error).__name__
    return CellError("syntax", line, col, f"{name}: {error.msg}", _caret(error))


def _caret(error: SyntaxError) -> str:
    if not error.text:
        return ""
    text = error.text.rstrip("\n")
    offset = max((error.offset or 1) - 1, 0)
    return f"    {text}\n    {' ' * offset}^"


def _memory_limit_mib() -> int | None:
    """The address-space limit this process runs under, in MiB (``None``: no limit)."""
    try:
        import resource
    except ImportError:  # no resource limits on this platform
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft // 2**20


def _summary_line(summary: traceback.TracebackException) -> str:
    """``Type: message``, from its first line (``…`` marks more lines or notes, shown in the traceback).

    A SyntaxError raised by code the page compiles is preceded by the lines it points at, so the
    summary is the first line that is not indented.
    """
    lines = "".join(summary.format_exception_only()).rstrip("\n").split("\n")
    first = next((index for index, line in enumerate(lines) if line[:1].strip()), 0)
    return lines[first] + (" …" if first + 1 < len(lines) else "")


def _exception_error(exception: BaseException, cell: CodeCell, path: str, lines: list[str]) -> CellError:
    summary = traceback.TracebackException.from_exception(exception, limit=-TRACEBACK_FRAMES)
    summary.stack = traceback.StackSummary.from_list([frame for frame in summary.stack if not frame.filename.startswith(ENGINE_DIR)])
    page_frames = [frame for frame in summary.stack if frame.filename == path]
    line = page_frames[-1].lineno if page_frames and page_frames[-1].lineno else cell.line
    message = _summary_line(summary) if summary.exc_type else type(exception).__name__
    if len(message) > MESSAGE_LIMIT:
        message = message[:MESSAGE_LIMIT] + " …"
    if isinstance(exception, SystemExit):
        message = f"SystemExit: the code called sys.exit({exception.code!r})"
    elif isinstance(exception, KeyboardInterrupt):
        message = "KeyboardInterrupt: the code raised KeyboardInterrupt"
    elif isinstance(exception, MemoryError) and (limit := _memory_limit_mib()) is not None:
        message += f" (the code ran out of memory: a page may use {limit:,} MiB, reckon's `memory_limit`)"
    col = None
    if page_frames and page_frames[-1].lineno and page_frames[-1].colno is not None:
        col = _column(lines, page_frames[-1].lineno, page_frames[-1].colno)
    detail = "".join(summary.format()).rstrip()
    if len(detail) > TEXT_LIMIT:
        detail = detail[: TEXT_LIMIT // 2] + f"\n… {len(detail) - TEXT_LIMIT:,} characters not shown …\n" + detail[-TEXT_LIMIT // 2 :]
    return CellError("exception", line, col, message, detail)
