"""A page whose code is still running, as ``mkdocs serve`` shows it until its results land.

The prose is there, checked claims read as written, inline values as ``…``, and a notice says that
the page reloads itself when its code has finished; nothing is checked yet, so nothing is reported.
"""

from __future__ import annotations

import html
import re

from .assemble import RenderedPage
from .plan import PagePlan, PlannedBlock, PlannedInline

__all__ = ["PENDING_NOTICE", "pending_page"]

PENDING_NOTICE = "reckon is still running this page's code"


def pending_page(plan: PagePlan, seconds: float) -> RenderedPage:
    """``plan``'s page with its code shown as the options ask but no results, under a notice.

    Args:
        plan: The planned page.
        seconds: How long its code has been running.
    """
    parts = []
    for item in plan.items:
        if isinstance(item, PlannedInline):
            shown = item.split.literal if item.split.literal is not None else "…"
            parts.append(f'<span class="reckon-pending" title="still running">{html.escape(shown)}</span>')
        elif isinstance(item, PlannedBlock):
            parts.append(_block(item))
        else:
            parts.append(item.text)
    notice = (
        f'!!! note "Running…"\n\n    {PENDING_NOTICE} ({seconds:.0f} s so far); this page reloads itself when its results are ready.\n\n'
    )
    markdown = "".join(parts)
    first, newline, rest = markdown.partition("\n")
    markdown = first + newline + "\n" + notice + rest if first.startswith("# ") else notice + markdown
    return RenderedPage(markdown)


def _block(item: PlannedBlock) -> str:
    segment, options = item.segment, item.options
    if item.cell is None:
        return segment.text
    if options.echo not in ("true", "fold"):
        return "\n"
    code = "\n".join(segment.body[options.lines :])
    ticks = "`" * max(3, max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
    fence = f"{ticks}python\n{code}\n{ticks}"
    if options.echo == "fold":
        fence = '??? example "Source"\n\n' + "\n".join("    " + line if line.strip() else line for line in fence.split("\n"))
    indented = "\n".join(segment.indent + line if line.strip() else line for line in fence.split("\n"))
    return "\n" + indented + "\n\n"
