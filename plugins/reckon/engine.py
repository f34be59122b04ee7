"""The engine: pages in, Markdown, figures and diagnostics out. It knows nothing of MkDocs.

A build asks for every page early (:meth:`Build.prefetch`), so that pages run in parallel while
MkDocs is still busy elsewhere, then collects each page when MkDocs gets to it
(:meth:`Build.render`). Pages whose code is unchanged come from the cache and run nothing.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from .assembly import RenderedPage, assemble_page, plural
from .cache import ResultCache
from .live.page import plan_live
from .page_process import ProcessSettings
from .planning import PagePlan, plan_page
from .pool import PagePool
from .program import CellError, ProgramResult

__all__ = ["EngineSettings", "PageSource", "BuildSummary", "Engine", "Build"]


@dataclass(frozen=True)
class EngineSettings:
    """How pages run.

    Attributes:
        project_dir: The folder of ``mkdocs.yml``: pages run there.
        timeout: Seconds a block (or inline expression) may run.
        concurrency: Pages run at once.
        cache_dir: Where results are kept between builds (``None``: in memory only).
        memory_limit_mb: Address-space limit of a page process in MiB (0: none).
        cpu_limit_s: CPU-time limit of a page process in seconds (0: none).
        ignored_dirs: Folders whose files are never dependencies (the built site).
        math: Whether the site renders display math.
        note: Whether pages with code end with a note of what was verified.
    """

    project_dir: Path
    timeout: float = 30.0
    concurrency: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache_dir: Path | None = None
    memory_limit_mb: int = 4096
    cpu_limit_s: int = 600
    ignored_dirs: tuple[Path, ...] = ()
    math: bool = True
    note: bool = True


@dataclass(frozen=True)
class PageSource:
    """A page as the engine needs it.

    Attributes:
        path: Relative to the project (``docs/q4.md``): messages and tracebacks use it.
        src_uri: Relative to the docs folder (``q4.md``): figure links are relative to it.
        markdown: The Markdown, front matter removed.
        first_line: The file line on which ``markdown`` starts.
        source: The whole file as written.
    """

    path: str
    src_uri: str
    markdown: str
    first_line: int = 1
    source: str = ""


@dataclass(frozen=True)
class BuildSummary:
    """What a build did, for the summary line."""

    pages: int
    executed: int
    cached: int
    blocks: int
    claims: int
    checks: int
    failures: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"{plural(self.pages, 'page')} with code ({self.executed} run, {self.cached} from cache), "
            f"{plural(self.blocks, 'block')}, {plural(self.claims, 'claim')} verified, "
            f"{plural(self.checks, 'assertion')} passed, {plural(self.failures, 'failure')}, in {self.seconds:.1f} s"
        )


def _result_of(future: Future[ProgramResult], plan: PagePlan) -> ProgramResult:
    """The page's result; a failure of reckon itself becomes a failure of this page, not of the build."""
    try:
        return future.result()
    except Exception as error:  # a bug in reckon: say so at the page, keep building the others
        detail = "".join(traceback.format_exception(error)).rstrip()
        message = f"reckon could not run this page ({type(error).__name__}: {error}); this is a bug in reckon"
        failure = CellError("crash", plan.program.cells[0].line, None, message, detail)
        return ProgramResult((None,) * len(plan.program.cells), error=failure)


class Engine:
    """Runs pages; one engine lives for a whole ``mkdocs serve`` session, its pool kept warm.

    Args:
        settings: How pages run.
        log: Called with progress messages.
        warn: Called with warnings (an unusable cache folder).
    """

    def __init__(self, settings: EngineSettings, log: Callable[[str], None] = print, warn: Callable[[str], None] = print) -> None:
        self.settings = settings
        self.log = log
        ignored = tuple(str(path) for path in settings.ignored_dirs) + ((str(settings.cache_dir),) if settings.cache_dir else ())
        process = ProcessSettings(str(settings.project_dir), ignored, settings.memory_limit_mb, settings.cpu_limit_s)
        self.pool = PagePool(process, settings.concurrency)
        self.cache = ResultCache(settings.cache_dir, settings.project_dir, warn)

    def warm(self) -> None:
        """Start the page processes' server in the background, ahead of the first page that runs.

        Not done for every build: a build whose pages all come from the cache needs no server, and
        starting one (it imports NumPy and matplotlib) would slow that build down.
        """
        self.pool.warm()

    def warm_if_cold(self) -> None:
        """Warm now if the cache is empty: every page will run, so start the server early."""
        if self.cache.is_empty():
            self.warm()

    def stop(self) -> None:
        """Stop every running page."""
        self.pool.close()

    def build(self) -> Build:
        """Begin a build."""
        return Build(self)


class Build:
    """One build: pages are prefetched, then rendered, then summarised."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.started = time.perf_counter()
        self._pending: dict[str, tuple[PageSource, PagePlan, Future[ProgramResult] | ProgramResult]] = {}
        self._lock = threading.Lock()
        self._submitted = self._finished = 0
        self._last_progress = self.started
        self.pages = self.executed = self.cached = 0
        self.blocks = self.claims = self.checks = self.failures = 0

    def plan(self, page: PageSource) -> PagePlan:
        """Scan and plan a page (cheap: nothing runs)."""
        return plan_page(
            page.markdown,
            path=page.path,
            src_uri=page.src_uri,
            first_line=page.first_line,
            source=page.source,
            math=self.engine.settings.math,
        )

    def prefetch(self, page: PageSource) -> None:
        """Start running ``page`` now, unless its results are cached or it has no code."""
        plan = self.plan(page)
        if plan.program.cells:
            self._pending[page.path] = (page, plan, self._start(plan))

    def render(self, page: PageSource) -> RenderedPage:
        """The page with its results in place (running it now if it was not prefetched)."""
        prefetched = self._pending.pop(page.path, None)
        if prefetched is not None and prefetched[0] == page:  # the page MkDocs hands us is the one prefetched
            plan = prefetched[1]
        else:
            plan = self.plan(page)
        result: ProgramResult | None = None
        if plan.program.cells:
            if prefetched is not None and prefetched[1].program == plan.program:
                outcome = prefetched[2]
            else:
                outcome = self._start(plan)
            if isinstance(outcome, Future):
                result = _result_of(outcome, plan)
                self.engine.cache.put(plan.program, result)
            else:
                result = outcome
        live = plan_live(plan, self.engine.settings.project_dir, timeout=self.engine.settings.timeout)
        rendered = assemble_page(plan, result, note=self.engine.settings.note, live=live)
        if plan.has_code:
            stats = rendered.stats
            self.pages += 1
            self.blocks += stats.blocks
            self.claims += stats.claims
            self.checks += stats.checks
            self.failures += stats.failures
        return rendered

    def summary(self) -> BuildSummary:
        """What the build did so far."""
        return BuildSummary(
            self.pages,
            self.executed,
            self.cached,
            self.blocks,
            self.claims,
            self.checks,
            self.failures,
            time.perf_counter() - self.started,
        )

    def _start(self, plan: PagePlan) -> Future[ProgramResult] | ProgramResult:
        cached = self.engine.cache.get(plan.program)
        if cached is not None:
            self.cached += 1
            return cached
        self.executed += 1
        with self._lock:
            self._submitted += 1
        future = self.engine.pool.submit(plan.program, self.engine.settings.timeout)
        future.add_done_callback(self._progress)
        return future

    def _progress(self, _future: Future[ProgramResult]) -> None:
        with self._lock:
            self._finished += 1
            now = time.perf_counter()
            if now - self.started < 2 or now - self._last_progress < 2:
                return
            self._last_progress = now
            finished, submitted = self._finished, self._submitted
        self.engine.log(f"reckon: {finished}/{submitted} pages run")
