"""Put a page's results back into its Markdown, check its claims, and collect what went wrong.

Assembly runs in the MkDocs process on every build, from fresh or cached results alike: claims are
checked here, so a false claim can never hide behind the cache.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic
from .literals import LiteralError, check_claim, describe_comparable
from .planning import PagePlan, PlannedBlock, PlannedInline
from .program import BlockResult, CellError, CellResult, InlineResult, ProgramResult
from .scanner import Prose, Segment

if TYPE_CHECKING:
    from .live.page import LivePlan

__all__ = ["PageStats", "RenderedPage", "assemble_page", "plural", "ASSETS_DIR"]

ASSETS_DIR = "assets/reckon"
_REFERENCE = re.compile(r"(?<![\w@/.\-])@(fig-[A-Za-z0-9_-]*[A-Za-z0-9_])")


@dataclass(frozen=True)
class PageStats:
    """What the build verified on a page."""

    blocks: int = 0  # blocks that ran without error
    values: int = 0  # inline values (not claims) that were computed
    claims: int = 0  # claims that held
    checks: int = 0  # assertions that passed
    failures: int = 0


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
        if live is not None:
            self.diagnostics.extend(live.problems)
            self.files[live.payload_uri] = live.payload
        self.blocks = self.values = self.claims = self.checks = 0

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
        stats = PageStats(self.blocks, self.values, self.claims, self.checks, len(diagnostics))
        if diagnostics:
            markdown = _with_failure_summary(markdown, diagnostics)
        if note and self.plan.has_code:
            markdown = markdown.rstrip("\n") + "\n\n" + _verification_note(stats) + "\n"
        return RenderedPage(markdown, self.files, diagnostics, stats, live=self.live is not None)

    # -- reporting ------------------------------------------------------------------------------

    def report(self, error: CellError | Diagnostic | None = None, *, line: int = 0, col: int | None = None, message: str = "", detail: str = "") -> None:
        if isinstance(error, CellError):
            line, col, message, detail = error.line, error.col, error.message, error.traceback
        elif isinstance(error, Diagnostic):
            self.diagnostics.append(error)
            return
        self.diagnostics.append(Diagnostic(self.plan.path, line, col, message, detail))

    # -- prose ----------------------------------------------------------------------------------

    def text_segment(self, segment: Segment) -> str:
        if not isinstance(segment, Prose):
            return segment.text
        return _REFERENCE.sub(lambda match: self.reference(match, segment), segment.text)

    def reference(self, match: re.Match[str], segment: Prose) -> str:
        label = match[1]
        number = self.plan.figure_numbers.get(label)
        if number is None:
            before = segment.text[: match.start()]
            line = segment.line + before.count("\n")
            col = (segment.col + match.start()) if "\n" not in before else match.start() - before.rfind("\n")
            known = ", ".join(f"`{name}`" for name in self.plan.figure_numbers) or "none"
            self.report(line=line, col=col, message=f"`@{label}` refers to no figure on this page (labels here: {known})")
            return match[0]
        return f"[Figure {number}](#{label})"

    def text(self, parts: tuple[Segment | PlannedInline, ...]) -> str:
        return "".join(self.inline(part) if isinstance(part, PlannedInline) else self.text_segment(part) for part in parts)

    # -- inline code ----------------------------------------------------------------------------

    def inline(self, item: PlannedInline) -> str:
        result = self.cells[item.cell]
        segment, split = item.segment, item.split
        shown = split.literal if split.literal is not None else "⚠"
        if result is None:
            return _mark(shown, "not run: an earlier block on this page failed")
        assert isinstance(result, InlineResult)
        if result.error is not None:
            message = result.error.message
            if result.error.kind == "exception":
                message = f"`{split.expression}` raised {message}"
            elif result.error.kind == "syntax" and split.expression.strip():  # an empty one has its own message
                message = f"cannot read `{split.expression}`: {message}"
            self.report(line=result.error.line, col=result.error.col, message=message, detail=result.error.traceback)
            return _mark(shown, message)
        if split.literal is None:
            self.values += 1
            return self.live.inline(item.cell, result.text, claim=False) if self.live else result.text
        column = segment.code_col + split.literal_offset
        try:
            verdict = check_claim(split.literal, result.comparable or {"t": "other", "type": "None", "repr": "None"})
        except LiteralError as error:
            self.report(line=segment.line, col=column, message=str(error))
            return _mark(shown, str(error))
        if verdict.holds:
            self.claims += 1
            return self.live.inline(item.cell, split.literal, claim=True) if self.live else split.literal
        plain = describe_comparable(result.comparable or {})
        computed = verdict.computed if verdict.computed == plain else f"{verdict.computed} ({plain})"
        reason = f"; {verdict.reason}" if verdict.reason else ""
        message = f"claim is false: the page says {split.literal}, but `{split.expression}` is {computed}{reason}"
        self.report(line=segment.line, col=column, message=message)
        return _mark(shown, message)

    # -- blocks ---------------------------------------------------------------------------------

    def block(self, item: PlannedBlock) -> str:
        segment, options = item.segment, item.options
        if item.cell is None:
            return segment.text
        code = "\n".join(segment.body[options.lines :])
        parts: list[str] = []
        if options.echo == "true":
            parts.append(_fence(code, "python"))
        elif options.echo == "fold":
            parts.append('??? example "Source"\n\n' + _indent(_fence(code, "python"), "    "))
        result = self.cells[item.cell]
        if result is None:
            if item.cell == self.failed_cell and self.page_error is not None:
                parts.append(_failure(self.plan.path, self.page_error))
            else:
                parts.append('!!! warning "Not run"\n\n    This block did not run: an earlier block on this page failed.')
        elif result.error is not None:
            self.report(result.error)
            parts.append(_failure(self.plan.path, result.error))
        else:
            assert isinstance(result, BlockResult)
            self.blocks += 1
            self.checks += result.checks
            outputs = self.outputs(item, result) if options.output != "false" else []
            parts.extend(self.live.block(item.cell, outputs) if self.live else outputs)
        body = "\n\n".join(part for part in parts if part)
        return "\n" + _indent(body, segment.indent) + "\n\n" if body else "\n"

    def outputs(self, item: PlannedBlock, result: BlockResult) -> list[str]:
        parts = []
        if result.output or result.omitted:
            if item.options.output == "asis":
                parts.append(result.output)
            else:
                notice = f"\n… {result.omitted:,} more characters of output not shown" if result.omitted else ""
                parts.append(_fence(result.output.rstrip("\n") + notice, "text"))
        if result.value is not None:
            parts.append(result.value.text if result.value.kind == "markdown" else _fence(result.value.text, "text"))
        parts.extend(self.figures(item, result))
        return parts

    def figures(self, item: PlannedBlock, result: BlockResult) -> list[str]:
        segment, options = item.segment, item.options
        if not result.figures:
            if options.label is not None:
                self.report(line=segment.line, message=f"the block is labelled `{options.label}` but draws no figure")
            return []
        if options.fig_alt is None or not options.fig_alt.text.strip():
            message = "this block draws a figure but has no alt text: add `#| fig-alt: <what the figure shows>`"
            self.report(line=segment.line, message=message)
        if options.label is not None and len(result.figures) != 1:
            message = f"the block labelled `{options.label}` draws {len(result.figures)} figures; a labelled block draws one"
            self.report(line=segment.line, message=message)
        alt = _escape_alt(self.text(item.alt))
        caption = self.text(item.caption).strip()
        number = self.plan.figure_numbers.get(options.label or "")
        parts = []
        for figure in result.figures:
            light, dark = self.add_figure(figure.light), self.add_figure(figure.dark)
            markdown = f"![{alt}]({light}#only-light)\n![{alt}]({dark}#only-dark)"
            if caption or number:
                attrs = f"    attrs: {{id: {options.label}}}\n" if options.label else ""
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
    return "\n".join(prefix + line if line.strip() else line for line in text.split("\n"))


def _failure(path: str, error: CellError) -> str:
    title = f"{path}:{error.line}: {error.message}".replace('"', "&quot;")
    detail = error.traceback or error.message
    return f'!!! failure "{title}"\n\n' + _indent(_fence(detail, "text"), "    ")


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
    done = [plural(stats.claims, "claim") + " held"] if stats.claims else []
    if stats.checks:
        done.append(plural(stats.checks, "assertion") + " passed")
    done.append(plural(stats.blocks, "code block") + " and " + plural(stats.values, "inline value") + " ran without error")
    sentence = "Verified when this site was built: " + ", ".join(done[:-1]) + (", and " if len(done) > 1 else "") + done[-1] + "."
    if stats.failures:
        sentence += f" **{plural(stats.failures, 'failure')}** reported above."
    return f"*{sentence}*\n{{ .reckon-note }}"
