"""A page from Markdown to Markdown in one call: plan it, have its program run, assemble the results.

The build (:class:`reckon.engine.Build`) does the same in steps, with a cache and a pool between
them; a page's ``preview()`` and the tests run a page whole, each with a runner of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..wire import PageProgram, ProgramResult
from .assemble import RenderedPage, assemble_page
from .plan import plan_page

__all__ = ["render_page"]


def render_page(
    markdown: str,
    *,
    path: str,
    src_uri: str,
    run: Callable[[PageProgram], ProgramResult],
    first_line: int = 1,
    source: str = "",
    defaults: Mapping[str, Any] | None = None,
    note: bool = False,
) -> RenderedPage:
    """Plan ``markdown`` as the page ``path``, run its program with ``run`` (if it has code), and assemble it.

    Args:
        markdown: The page's Markdown (front matter removed).
        path: The page's path relative to the project (``docs/q4.md``).
        src_uri: The page's path relative to the docs folder.
        run: Runs a program and returns its result (a page pool, or the current process).
        first_line: The file line on which ``markdown`` starts.
        source: The whole file as written.
        defaults: The site's defaults for block options.
        note: Whether to end the page with a note of what was verified.
    """
    plan = plan_page(markdown, path=path, src_uri=src_uri, first_line=first_line, source=source, defaults=defaults)
    result = run(plan.program) if plan.program.cells else None
    return assemble_page(plan, result, note=note)
