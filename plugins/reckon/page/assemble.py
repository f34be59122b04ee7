"""Put a page's results back into its Markdown, check its claims, and collect what went wrong.

Assembly runs in the MkDocs process on every build, from fresh or cached results alike: claims are
checked here, so a false claim can never hide behind the cache.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from ..wire import BlockResult, CellError, CellResult, InlineResult, ProgramResult
from .diagnostics import Diagnostic
from .plan import NOT_RUN, PagePlan, PlannedBlock, PlannedInline
from .scan import Prose, Segment
from .verify import verify

if TYPE_CHECKING:
    from ..live.page import LivePlan

__all__ = ["ASSETS_DIR", "PageStats", "RenderedPage", "assemble_page", "plural"]

ASSETS_DIR = "assets/reckon"
_REFERENCE = re.compile(r"(?<![\w@/.\-])@((fig|tbl)-[A-Za-z0-9_-]*[A-Za-z0-9_])")
_UNDEFINED = re.compile(r"^NameError: name '(?P<name>\w+)' is not defined")


@dataclass(frozen=True)
class PageStats:
    """What the build verified on a page."""

    blocks: int = 0  # blocks that ran without error
    values: int = 0  # inline values (not claims) that were computed
    claims: int = 0  # claims that held
    checks: int = 0  # assertions that passed
    failures: int = 0

    def __add__(self, other: PageStats) -> PageStats:
        """Two pages' stats together: a build's are the sum of its pages'."""
        return PageStats(*(getattr(self, name.name) + getattr(other, name.name) for name in fields(self)))


@dataclass
class RenderedPage:
    """A page with its results in place.

    Attributes:
        markdown: The Markdown to hand on to MkDocs.
        files: Generated files (figures), by path relative to the docs folder.
        diagnostics: Every failure on the page, in page order.
        stats: What was verified.
        live: Whether the page has live blocks (the site then needs the browser's runtime).
    """

    markdown: str
    files: dict[str, bytes] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stats: PageStats = PageStats()
    live: bool = False


def assemble_page(
    plan: PagePlan, result: ProgramResult | None, *, assets_dir: str = ASSETS_DIR, note: bool = True, live: LivePlan | None = None
) -> RenderedPage:
    """Build a page's Markdown from its plan and the results of its program.

    Args:
        plan: The planned page.
        result: The results of ``plan.program`` (``None`` for a page without code).
        assets_dir: Where generated figures go, relative to the docs folder.
        note: Whether to end a page that has code with a note of what was verified.
        live: The page's live part (``reckon.live.page.plan_live``), if it has one.
    """
    return _Assembler(plan, result, assets_dir, live).assemble(note)


class _Assembler:
    def __init__(self, plan: PagePlan, result: ProgramResult | None, assets_dir: str, live: LivePlan | None = None) -> None:
        self.plan = plan
        self.live = live
        self.assets_dir = assets_dir
        count = len(plan.program.cells)
        self.cells: tuple[CellResult | None, ...] = result.cells if result is not None else (None,) * count
        self.page_error: CellError | None = result.error if result is not None else None
        self.diagnostics: list[Diagnostic] = list(plan.problems)
        if self.page_error is not None:
            self.report(self.page_error)
        self.failed_cell = next((index for index, cell in enumerate(self.cells) if cell is None), None)
        self.files: dict[str, bytes] = {}
        self.verdicts = verify(plan, result)  # every claim decided in one place; assembly puts the outcomes in place
        if live is not None:
            self.diagnostics.extend(live.problems)
            self.files[live.payload_uri] = live.payload
        self.blocks = self.values = self.claims = self.assertions = 0

    def assemble(self, note: bool) -> RenderedPage:
        parts = []
        for item in self.plan.items:
            if isinstance(item, PlannedBlock):
                parts.append(self.block(item))
            elif isinstance(item, PlannedInline):
                parts.append(self.inline(item))
            else:
                parts.append(self.text_segment(item))
        markdown = "".join(parts)
        diagnostics = sorted(self.diagnostics, key=lambda item: (item.line, item.col or 0))
        stats = PageStats(self.blocks, self.values, self.claims, self.assertions, len(diagnostics))
        if diagnostics:
            markdown = _with_failure_summary(markdown, diagnostics)
        if note and self.plan.has_code:
            markdown = markdown.rstrip("\n") + "\n\n" + _verification_note(stats) + "\n"
        return RenderedPage(markdown, self.files, diagnostics, stats, live=self.live is not None)

    # -- reporting ------------------------------------------------------------------------------

    def report(
        self, error: CellError | Diagnostic | None = None, *, line: int = 0, col: int | None = None, message: str = "", detail: str = ""
    ) -> None:
        if isinstance(error, CellError):
            line, col, message, detail = error.line, error.col, self.explained(error), error.traceback
        elif isinstance(error, Diagnostic):
            self.diagnostics.append(error)
            return
        self.diagnostics.append(Diagnostic(self.plan.path, line, col, message, detail))

    # -- prose ----------------------------------------------------------------------------------

    def text_segment(self, segment: Segment) -> str:
        if not isinstance(segment, Prose):
            return segment.text
        return _REFERENCE.sub(lambda match: self.reference(match, segment), segment.text)

    def explained(self, error: CellError) -> str:
        """The error's message, and why a name is undefined when a block that does not run defines it."""
        match = _UNDEFINED.match(error.message)
        where = self.plan.undefined.get(match["name"]) if match else None
        if where is None or where[0] > error.line:
            return error.message
        return f"{error.message} (the block at line {where[0]} defines it, but does not run: {where[1]})"

    def reference(self, match: re.Match[str], segment: Prose) -> str:
        label = match[1]
        numbers, noun = (self.plan.figure_numbers, "Figure") if match[2] == "fig" else (self.plan.table_numbers, "Table")
        number = numbers.get(label)
        if number is None:
            before = segment.text[: match.start()]
            line = segment.line + before.count("\n")
            col = (segment.col + match.start()) if "\n" not in before else match.start() - before.rfind("\n")
            known = ", ".join(f"`{name}`" for name in numbers) or "none"
            message = f"`@{label}` refers to no {noun.lower()} on this page (labels here: {known})"
            self.report(line=line, col=col, message=message)
            return match[0]
        return f"[{noun} {number}](#{label})"

    def text(self, parts: tuple[Segment | PlannedInline, ...]) -> str:
        return "".join(self.inline(part) if isinstance(part, PlannedInline) else self.text_segment(part) for part in parts)

    # -- inline code ----------------------------------------------------------------------------

    def inline(self, item: PlannedInline) -> str:
        segment, split = item.segment, item.split
        shown = split.literal if split.literal is not None else "⚠"
        if item.cell is None:
            return _mark(shown, f"not run: {NOT_RUN['page']}")
        result = self.cells[item.cell]
        if result is None:
            return _mark(shown, "not run: an earlier block on this page failed")
        assert isinstance(result, InlineResult)
        if result.error is not None:
            message = result.error.message
            if result.error.kind == "exception":
                message = f"`{split.expression}` raised {self.explained(result.error)}"
            elif result.error.kind == "syntax" and split.expression.strip():  # an empty one has its own message
                message = f"cannot read `{split.expression}`: {message}"
            self.report(line=result.error.line, col=result.error.col, message=message, detail=result.error.traceback)
            return _mark(shown, message)
        if split.literal is None:
            self.values += 1
            return self.live.inline(item.cell, result.text, claim=False) if self.live else result.text
        check = self.verdicts[item.cell]
        if check.holds:
            self.claims += 1
            return self.live.inline(item.cell, split.literal, claim=True) if self.live else split.literal
        self.report(line=segment.line, col=check.col, message=check.message)
        return _mark(shown, check.message)

    # -- blocks ---------------------------------------------------------------------------------

    def block(self, item: PlannedBlock) -> str:
        segment, options = item.segment, item.options
        if not segment.closed:
            return segment.text
        code = "\n".join(segment.body[options.lines :])
        parts: list[str] = []
        label = options.label
        if label is not None and not label.startswith(("fig-", "tbl-")):
            parts.append(f'<span id="{html.escape(label)}" class="reckon-anchor"></span>')  # valid in a paragraph, in any container
        source = "shown" if item.skipped in {"options", "page"} else options.source  # show what did not run
        if source == "shown":
            parts.append(_fence(code, "python"))
        elif source == "fenced":
            parts.append(_fence("\n".join(["```{python}", *segment.body, "```"]), "markdown"))
        elif source in {"folded", "open"}:
            summary = options.code_summary.replace('"', "&quot;")
            marker = "???+" if source == "open" else "???"
            parts.append(f'{marker} example reckon-source "{summary}"\n\n' + _indent(_fence(code, "python"), "    "))
        result = None if item.cell is None else self.cells[item.cell]
        if item.skipped == "eval":
            self.labelled_but_not_shown(item, "it does not run (`eval: false`)")
        elif item.skipped:
            parts.append(f'!!! warning "Not run"\n\n    This block did not run: {NOT_RUN[item.skipped]} (see the top of the page).')
        elif result is None:
            if item.cell == self.failed_cell and self.page_error is not None:
                parts.append(_failure(self.plan.path, self.page_error))
            else:
                parts.append('!!! warning "Not run"\n\n    This block did not run: an earlier block on this page failed.')
        elif result.error is not None:
            self.report(result.error)
            parts.append(_failure(self.plan.path, result.error))
        else:
            assert isinstance(result, BlockResult)
            self.blocks += result.raised is None  # a block that raised, as allowed, did not run "without error"
            self.assertions += result.checks
            outputs = self.outputs(item, result) if options.shows_output else []
            if not options.shows_output:
                self.labelled_but_not_shown(item, f"its output is not shown (`{'include' if not options.include else 'output'}: false`)")
            parts.extend(self.live.block(item.cell, outputs) if self.live and item.cell is not None else outputs)
        body = "\n\n".join(part for part in parts if part)
        return "\n" + _indent(body, segment.indent) + "\n\n" if body else "\n"

    def labelled_but_not_shown(self, item: PlannedBlock, why: str) -> None:
        label = item.options.label or ""
        if label.startswith(("fig-", "tbl-")):
            kind = "figure" if label.startswith("fig-") else "table"
            self.report(line=item.segment.line, message=f"the block is labelled `{label}`, a numbered {kind}, but {why}")

    def outputs(self, item: PlannedBlock, result: BlockResult) -> list[str]:
        parts = []
        table = None  # what a `tbl-` label or `tbl-cap` captions: the value, else Markdown the block printed
        if result.output or result.omitted:
            if item.options.output == "asis" and not result.omitted:  # cut Markdown could leave a fence open
                parts.append(result.output)
                table = len(parts) - 1
            else:
                notice = f"\n… {result.omitted:,} more characters of output not shown" if result.omitted else ""
                parts.append(_fence(result.output.rstrip("\n") + notice, "text"))
        if result.warnings:
            title = "Warning" if len(result.warnings) == 1 else f"{len(result.warnings)} warnings"
            parts.append(f'!!! warning "{title}"\n\n' + _indent(_fence("\n".join(result.warnings), "text"), "    "))
        if result.value is not None:
            parts.append(result.value.text if result.value.kind == "markdown" else _fence(result.value.text, "text"))
            table = len(parts) - 1
        self.table(item, parts, table)
        parts.extend(self.figures(item, result))
        if result.raised is not None:
            parts.append(_fence(_traceback(self.plan.path, result.raised), "pytb"))
        return parts

    def table(self, item: PlannedBlock, parts: list[str], index: int | None) -> None:
        """Caption the block's table (``parts[index]``), numbered if it has a ``tbl-`` label."""
        options = item.options
        label = options.label if options.label is not None and options.label.startswith("tbl-") else None
        if label is None and options.tbl_cap is None:
            return
        if index is None:
            what = f"labelled `{label}`" if label else "given a `tbl-cap`"
            message = (
                f"the block is {what} but shows no table: end it with one (a `reckon.Table`, an array) or print one with `output: asis`"
            )
            self.report(line=item.segment.line, message=message)
            return
        number = self.plan.table_numbers.get(label or "")
        caption = self.text(item.table_caption).strip()
        attrs = f"    attrs: {{id: {label}}}\n" if label else ""
        prefix = f"**Table {number}.** " if number else ""
        parts[index] += f"\n\n/// caption | <\n{attrs}{prefix}{caption}\n///"

    def figures(self, item: PlannedBlock, result: BlockResult) -> list[str]:
        segment, options = item.segment, item.options
        label = options.label if options.label is not None and options.label.startswith("fig-") else None
        if not result.figures:
            if label is not None:
                self.report(line=segment.line, message=f"the block is labelled `{label}` but draws no figure")
            return []
        if options.fig_alt is None or not options.fig_alt.text.strip():
            message = "this block draws a figure but has no alt text: add `#| fig-alt: <what the figure shows>`"
            self.report(line=segment.line, message=message)
        if label is not None and len(result.figures) != 1:
            message = f"the block labelled `{label}` draws {len(result.figures)} figures; a labelled block draws one"
            self.report(line=segment.line, message=message)
        alt = _escape_alt(self.text(item.alt))
        caption = self.text(item.caption).strip()
        number = self.plan.figure_numbers.get(label or "")
        parts = []
        for figure in result.figures:
            # One file, shown in the palette each fragment names (see figures.py): fetched once.
            uri = self.add_figure(figure.svg)
            dimensions = figure.pixel_size()
            attributes = ".reckon-figure" + (f" width={dimensions[0]} height={dimensions[1]}" if dimensions else "")
            markdown = f"![{alt}]({uri}#only-light){{ {attributes} }}\n![{alt}]({uri}#only-dark){{ {attributes} }}"
            if caption or number:
                attrs = f"    attrs: {{id: {label}}}\n" if label else ""
                prefix = f"**Figure {number}.** " if number else ""
                markdown += f"\n\n/// caption\n{attrs}{prefix}{caption}\n///"
            parts.append(markdown)
        return parts

    def add_figure(self, svg: str) -> str:
        data = svg.encode("utf-8")
        uri = f"{self.assets_dir}/{hashlib.sha256(data).hexdigest()[:20]}.svg"
        self.files[uri] = data
        return posixpath.relpath(uri, posixpath.dirname(self.plan.src_uri) or ".")


def _fence(text: str, language: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{text}\n{ticks}"


def _indent(text: str, prefix: str) -> str:
    if not prefix:
        return text
    # Inside a blockquote a blank line keeps its markers, or it would end the quote.
    blank = prefix.rstrip() if prefix.strip() else ""
    return "\n".join(prefix + line if line.strip() else blank + line for line in text.split("\n"))


def _failure(path: str, error: CellError) -> str:
    title = f"{path}:{error.line}: {error.message}".replace('"', "&quot;")
    detail = error.traceback or error.message
    return f'!!! failure "{title}"\n\n' + _indent(_fence(detail, "text"), "    ")


def _traceback(path: str, error: CellError) -> str:
    """An exception as Python prints it (a syntax error's traceback is only the line and its caret)."""
    if error.kind == "syntax":
        return "\n".join([f'  File "{path}", line {error.line}', *([error.traceback] if error.traceback else []), error.message])
    return error.traceback or error.message


def _mark(shown: str, message: str) -> str:
    return f'<span class="reckon-error" title="{html.escape(message)}">⚠ {html.escape(shown)}</span>'


def _escape_alt(text: str) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", " ".join(text.split()))


def _with_failure_summary(markdown: str, diagnostics: list[Diagnostic]) -> str:
    items = "\n".join(f"    - {_inline_code(str(diagnostic))}" for diagnostic in diagnostics)
    problems = plural(len(diagnostics), "problem")
    summary = f'!!! failure "reckon found {problems} on this page"\n\n{items}\n\n'
    first, newline, rest = markdown.partition("\n")
    if first.startswith("# "):
        return first + newline + "\n" + summary + rest
    return summary + markdown


def _inline_code(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}"


def plural(count: int, noun: str) -> str:
    """``1 claim``, ``2 claims``, ``1,024 claims``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _verification_note(stats: PageStats) -> str:
    """The closing note, in a reader's words: what was checked on this page, and that its code ran."""
    done = []
    if stats.claims:
        verb = "was" if stats.claims == 1 else "were"
        done.append(f"{plural(stats.claims, 'number')} on this page {verb} checked against the computation")
    if stats.checks:
        done.append(plural(stats.checks, "further check" if stats.claims else "check") + " in its code passed")
    if stats.failures:
        done.append(f"**{plural(stats.failures, 'failure')}** {'is' if stats.failures == 1 else 'are'} reported above")
    else:
        done.append("all of its code ran without error")
    sentence = "When this site was built, " + ", ".join(done[:-1]) + (", and " if len(done) > 1 else "") + done[-1] + "."
    return f"*{sentence}*\n{{ .reckon-note }}"
