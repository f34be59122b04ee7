"""Run a snippet of a page through the engine, inside the current process, and show the outcome.

The author's guide uses it to show what the build reports for a false claim or a failing block
without failing its own build: the snippet runs for real, and its messages are the real ones.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .page.assemble import RenderedPage, assemble_page
from .page.diagnostics import Diagnostic
from .page.plan import plan_page
from .run import figures
from .run.execute import execute_program
from .wire import ProgramResult

__all__ = ["Preview", "preview"]


@dataclass(frozen=True)
class Preview:
    """A snippet's rendered Markdown and what the build would report for it."""

    source: str
    page: RenderedPage

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.page.diagnostics

    @property
    def log(self) -> str:
        """The snippet's failures, as ``mkdocs build`` prints them."""
        return "\n".join(f"ERROR   -  {diagnostic}" for diagnostic in self.diagnostics)

    def _repr_markdown_(self) -> str:
        fence = "`" * 4
        source = f"{fence}markdown\n{self.source.rstrip()}\n{fence}"
        report = self.log or "(nothing: the build passes)"
        return f"{source}\n\n{fence}text\n{report}\n{fence}"


def preview(markdown: str, path: str = "docs/example.md") -> Preview:
    """Run ``markdown`` as if it were the page ``path`` (without timeouts or figures on disk)."""
    source = textwrap.dedent(markdown).lstrip("\n")
    plan = plan_page(source, path=path, src_uri=path.split("/", 1)[-1])
    with figures.set_aside():
        cells = execute_program(plan.program, as_main=False)
    return Preview(source, assemble_page(plan, ProgramResult(tuple(cells)), note=False))
