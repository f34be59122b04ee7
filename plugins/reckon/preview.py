"""Run a snippet of a page through the engine, inside the current process, and show the outcome.

The author's guide uses it to show what the build reports for a false claim or a failing block
without failing its own build: the snippet runs for real, and its messages are the real ones.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .page.assemble import RenderedPage
from .page.diagnostics import Diagnostic
from .page.render import render_page
from .run import figures
from .run.execute import execute_program
from .wire import PageProgram, ProgramResult

__all__ = ["Preview", "preview"]


@dataclass(frozen=True)
class Preview:
    """A snippet's rendered Markdown and what the build would report for it."""

    source: str
    page: RenderedPage
    show_page: bool = False

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
        shown = f"{source}\n\n{fence}text\n{report}\n{fence}"
        return f"{shown}\n\nand the page shows:\n\n{self.page.markdown.strip()}" if self.show_page else shown


def preview(markdown: str, path: str = "docs/example.md", *, show_page: bool = False) -> Preview:
    """Run ``markdown`` as if it were the page ``path`` (without timeouts or figures on disk).

    Front matter (between ``---`` lines at the top) is taken off the page, as MkDocs does. The
    preview shows the source and what the build reports, and with ``show_page`` the page too.
    """
    source = textwrap.dedent(markdown).lstrip("\n")
    lines = source.split("\n")
    closing = next((index for index, line in enumerate(lines) if index and line.rstrip() in {"---", "..."}), 0)
    body = "\n".join(lines[closing + 1 :]).lstrip("\n") if lines[0].rstrip() == "---" and closing else source
    first_line = source.count("\n") - body.count("\n") + 1

    def run_here(program: PageProgram) -> ProgramResult:
        with figures.set_aside():
            return ProgramResult(tuple(execute_program(program, as_main=False)))

    page = render_page(body, path=path, src_uri=path.split("/", 1)[-1], run=run_here, first_line=first_line, source=source)
    return Preview(source, page, show_page)
