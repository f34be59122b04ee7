"""A page's live part: which cells re-run in the browser, what may not, and the HTML that hosts them.

Planned from the page's plan, before assembly, without running anything:

- every block marked ``#| live: true`` re-runs; its imports must be live-able and the names it reads
  from earlier blocks must come from live blocks (each failure is located at its line);
- an inline value or claim re-runs when it reads only names that live blocks set (and no later
  block that is not live set again), and it stands in prose, not inside math;
- assembly wraps each of these in an element the browser finds by number, adds the inputs' form
  after the block that declares them, and writes the page's payload as a generated file.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reckon.page.diagnostics import Diagnostic
from reckon.page.plan import PagePlan, PlannedBlock, PlannedInline
from reckon.page.scan import Prose

from .analysis import Declaration, DeclarationError, bound_names, declared_inputs, expression_names, module_closure, read_names
from .payload import LiveCell, page_payload, payload_name

__all__ = ["LIVE_ASSETS", "LivePlan", "plan_live"]

LIVE_ASSETS = "assets/reckon/live"
_MATH_TOKEN = re.compile(r"\\\$|\$\$|\$|\n[ \t]*\n")


@dataclass
class LivePlan:
    """The live part of a page.

    Attributes:
        numbers: For each live cell, by its index in the page's program, its number in the payload.
        inputs: The inputs each block declares, by the block's cell index.
        problems: What cannot be live, at its line.
        payload: The payload's bytes; ``payload_uri`` is where it goes, relative to the docs folder.
    """

    numbers: dict[int, int] = field(default_factory=dict)
    inputs: dict[int, list[Declaration]] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    payload: bytes = b""
    payload_uri: str = ""
    timeout: float = 30.0

    def block(self, cell: int, outputs: list[str]) -> list[str]:
        """A block's output parts, wrapped for the browser if the block is live, then its inputs' form."""
        if cell not in self.numbers:
            return outputs
        wrapped = []
        if outputs:
            body = "\n\n".join(outputs)
            wrapped.append(f'<div class="reckon-live-output" data-reckon-cell="{self.numbers[cell]}" markdown="1">\n\n{body}\n\n</div>')
        if cell in self.inputs:
            wrapped.append(self._form(self.inputs[cell]))
        return wrapped

    def inline(self, cell: int, text: str, *, claim: bool) -> str:
        """An inline value or a claim's literal, wrapped for the browser if it is live."""
        if cell not in self.numbers:
            return text
        number = self.numbers[cell]
        if not claim:
            return f'<span class="reckon-live" data-reckon-cell="{number}">{text}</span>'
        return (
            f'<span class="reckon-live reckon-live-claim" data-reckon-cell="{number}" data-state="checked">'
            f'<span class="reckon-live-value">{text}</span>'
            '<span class="reckon-live-state" title="checked against the code when the site was built">checked</span></span>'
        )

    def _form(self, declarations: list[Declaration]) -> str:
        fields = []
        for declaration in declarations:
            spec, name = declaration.spec, declaration.name
            ident = f"reckon-live-{self.payload_uri.rsplit('/', 1)[-1][:8]}-{name}"
            value = html.escape(str(spec.default), quote=True)
            mode = ' inputmode="numeric"' if spec.integer else (' inputmode="decimal"' if spec.kind == "number" else "")
            width = max(24, len(str(spec.default)) + 4) if spec.kind == "text" else 8
            fields.append(
                f'<div class="reckon-live-field">'
                f'<label for="{ident}">{html.escape(spec.label or name)} <code>{html.escape(name)}</code></label>'
                f'<input id="{ident}" name="{html.escape(name)}" type="text"{mode} size="{width}" value="{value}" data-default="{value}" '
                f'autocomplete="off" spellcheck="false" aria-describedby="{ident}-message">'
                f'<output id="{ident}-message" class="reckon-live-message" for="{ident}"></output></div>'
            )
        uri = html.escape(self.payload_uri.rsplit("/", 1)[-1], quote=True)
        return (
            f'<form class="reckon-live-inputs" data-reckon-live="{uri}" data-reckon-timeout="{self.timeout:g}" autocomplete="off">'
            + "".join(fields)
            + '<div class="reckon-live-actions"><button type="reset" class="md-button">Reset to the page\'s values</button>'
            '<span class="reckon-live-status" role="status" aria-live="polite">Change a value: the live results below are '
            "recomputed in your browser by the code that built this page.</span></div>"
            '<output class="reckon-live-message reckon-live-page-message"></output></form>'
        )


def plan_live(plan: PagePlan, project_dir: Path, *, timeout: float = 30.0) -> LivePlan | None:
    """The live part of ``plan`` (``None``: the page has no live block).

    Args:
        plan: The planned page.
        project_dir: The site's folder, from which pages import their modules.
        timeout: Seconds the live cells may run in the browser once Python is loaded (the build's).
    """
    blocks = [item for item in plan.items if isinstance(item, PlannedBlock)]
    if not any(item.options.live for item in blocks):
        return None
    program = plan.program
    search_path = [str(project_dir), *sys.path]  # as in a page process, which runs in the project's folder
    live = LivePlan(timeout=timeout)
    cells: list[LiveCell] = []
    declarations: list[Declaration] = []
    modules: dict[str, str] = {}
    bound: dict[str, int] = {}  # name -> line of the live block that set it last
    elsewhere: dict[str, int] = {}  # name -> line of the block, not live, that set it last
    in_math = _MathTracker()
    seen_live = False

    def problem(line: int, message: str, col: int | None = None) -> None:
        live.problems.append(Diagnostic(plan.path, line, col, message))

    for item in plan.items:
        if isinstance(item, Prose):
            in_math.feed(item.text)
            continue
        if isinstance(item, PlannedInline):
            if item.cell is None:
                continue
            names = expression_names(item.split.expression) if seen_live else None
            if names is not None and not in_math.inside and names <= bound.keys():
                live.numbers[item.cell] = len(cells)
                cells.append(LiveCell(program.cells[item.cell], "", item.split.literal))
            continue
        if not isinstance(item, PlannedBlock) or item.cell is None:
            continue
        cell = program.cells[item.cell]
        try:
            names_set = bound_names(cell.code)
            declared = declared_inputs(cell.code, cell.line)
        except SyntaxError:
            continue  # the page's run reports it at its line
        except DeclarationError as error:
            problem(error.line, str(error))
            continue
        if not item.options.live:
            if declared:
                problem(declared[0].line, "this block declares a live input, so it must be live: add `#| live: true` to its options")
            for name in names_set:
                elsewhere[name] = item.segment.line
                bound.pop(name, None)
            continue
        seen_live = True
        closure = module_closure(cell.code, cell.line, search_path, project_dir)
        for found in closure.problems:
            problem(found.line, found.message, found.col)
        modules.update(closure.modules)
        for name in sorted(read_names(cell.code) - bound.keys()):
            if name in elsewhere:
                problem(
                    item.segment.line,
                    f"this live block reads `{name}`, which the block at line {elsewhere[name]} sets; that block is not live, "
                    "so the browser would not have it: mark it `#| live: true` too, or set the name in a live block",
                )
        for name in names_set:
            bound[name] = item.segment.line
            elsewhere.pop(name, None)
        if declared:
            live.inputs[item.cell] = declared
            declarations.extend(declared)
        live.numbers[item.cell] = len(cells)
        cells.append(LiveCell(cell, item.options.output))
    live.payload = page_payload(plan.path, program.source, cells, declarations, modules)
    live.payload_uri = f"{LIVE_ASSETS}/{payload_name(live.payload)}"
    return live


class _MathTracker:
    """Whether the prose read so far leaves us inside ``$…$`` or ``$$…$$`` (an inline there stays static)."""

    def __init__(self) -> None:
        self.inline = False
        self.display = False

    @property
    def inside(self) -> bool:
        return self.inline or self.display

    def feed(self, text: str) -> None:
        for token in _MATH_TOKEN.findall(text):
            if token == "$$":
                self.display = not self.display
            elif token == "$" and not self.display:
                self.inline = not self.inline
            elif token.strip() == "" and "\n" in token:
                self.inline = False  # a blank line ends a paragraph, and any unclosed $ with it


def payload_json(plan: LivePlan) -> dict[str, object]:
    """The payload as data (tests read it)."""
    data: dict[str, object] = json.loads(plan.payload)
    return data
