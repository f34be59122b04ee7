"""The engine: pages in, Markdown, figures and diagnostics out. It knows nothing of MkDocs.

A build asks for every page early (:meth:`Build.prefetch`), so that pages run in parallel while
MkDocs is still busy elsewhere, then collects each page when MkDocs gets to it
(:meth:`Build.render`). Pages whose code is unchanged come from the cache and run nothing.

Under ``mkdocs serve`` a build waits for no page's code for long (``Engine.build(wait=...)``): a page
still running by then is rendered with a notice, its code goes on running across builds, and
``Engine.on_ready`` is called when its result lands (the server rebuilds, and the page reloads).
A page whose code changes while its old code runs has the old run stopped at once.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .assembled import AssembledPage, AssembledPages
from .cache import ResultCache
from .limits import CPU_LIMIT_S, MEMORY_LIMIT_MB, TIMEOUT_S
from .live.page import plan_live
from .page.assemble import PageStats, RenderedPage, assemble_page, plural
from .page.pending import pending_page
from .page.plan import PagePlan, plan_page
from .wire import ABSENT, CellError, PageProgram, ProgramResult

if TYPE_CHECKING:
    from .run.pool import PagePool
    from .run.process import ProcessSettings

__all__ = ["Build", "BuildSummary", "Engine", "EngineSettings", "PageSource"]


@dataclass(frozen=True)
class EngineSettings:
    """How pages run.

    Attributes:
        project_dir: The folder of ``mkdocs.yml``.
        timeout: Seconds a block (or inline expression) may run.
        concurrency: Pages run at once.
        cache_dir: Where results are kept between builds (``None``: in memory only).
        memory_limit_mb: Address-space limit of a page process in MiB (0: none).
        cpu_limit_s: CPU-time limit of a page process in seconds (0: none).
        ignored_dirs: Folders whose files are never dependencies (the built site).
        math: Whether the site renders display math.
        note: Whether pages with code end with a note of what was verified.
        execute: The site's defaults for block options, as ``(option, value)`` pairs.
        working_dir: ``"page"``: a page's code runs in the folder of its file; ``"project"``: in
            ``project_dir``.
    """

    project_dir: Path
    timeout: float = TIMEOUT_S
    concurrency: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache_dir: Path | None = None
    memory_limit_mb: int = MEMORY_LIMIT_MB
    cpu_limit_s: int = CPU_LIMIT_S
    ignored_dirs: tuple[Path, ...] = ()
    math: bool = True
    note: bool = True
    execute: tuple[tuple[str, Any], ...] = ()
    working_dir: str = "page"

    def for_page_processes(self) -> ProcessSettings:
        """What of these settings a page process needs (it crosses to the page process with each page)."""
        from .run.process import ProcessSettings

        ignored = tuple(str(path) for path in self.ignored_dirs) + ((str(self.cache_dir),) if self.cache_dir else ())
        return ProcessSettings(str(self.project_dir), ignored, self.memory_limit_mb, self.cpu_limit_s, self.working_dir)


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
    """What a build did, for the summary line (``pages``: those with code whose results are in; ``running``: the others)."""

    pages: int
    executed: int
    cached: int
    blocks: int
    claims: int
    checks: int
    failures: int
    seconds: float
    running: int = 0

    def __str__(self) -> str:
        running = ""
        if self.running:
            running = f"; {plural(self.running, 'page')} still running, served with a notice, their blocks not counted yet"
        return (
            f"{plural(self.pages + self.running, 'page')} with code ({self.executed} run, {self.cached} from cache), "
            f"{plural(self.blocks, 'block')}, {plural(self.claims, 'claim')} verified, "
            f"{plural(self.checks, 'assertion')} passed, {plural(self.failures, 'failure')}, in {self.seconds:.1f} s{running}"
        )


class _Job:
    """A page's code running in the pool; under ``serve`` it may outlive the build that started it."""

    def __init__(self, program: PageProgram, key: str, future: Future[ProgramResult]) -> None:
        self.program = program
        self.key = key
        self.future = future
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.awaited = False  # a page was served without its result: call on_ready when it lands
        self.kept = threading.Event()  # set once the result is in the cache (or known not to go there)


def _result_of(future: Future[ProgramResult], plan: PagePlan) -> ProgramResult:
    """The page's result; a failure of reckon itself becomes a failure of this page, not of the build."""
    try:
        return future.result()
    except (Exception, CancelledError) as error:  # a bug in reckon: say so at the page, keep building the others
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

    Attributes:
        on_ready: Called (from a pool thread) when the result of a page that was served while
            still running lands: the server should rebuild, which then takes it from the cache.
    """

    def __init__(self, settings: EngineSettings, log: Callable[[str], None] = print, warn: Callable[[str], None] = print) -> None:
        if settings.working_dir not in ("page", "project"):
            raise ValueError(f"working_dir must be 'page' or 'project', not {settings.working_dir!r}")
        self.settings = settings
        self.log = log
        self.on_ready: Callable[[], None] | None = None
        self._pool: PagePool | None = None
        conditions = f"timeout={settings.timeout:g};memory={settings.memory_limit_mb};cpu={settings.cpu_limit_s}"
        self.cache = ResultCache(settings.cache_dir, settings.project_dir, warn, conditions, variant=f"working_dir={settings.working_dir}")
        self.assembled = AssembledPages(settings.cache_dir / "pages" if settings.cache_dir else None)
        self._jobs: dict[str, _Job] = {}  # by cache key: the code running now
        self._jobs_lock = threading.Lock()

    @property
    def pool(self) -> PagePool:
        """The page processes, made when a page first has to run: a build whose pages all come from
        the cache never imports the page-process side (multiprocessing and the page runner)."""
        if self._pool is None:
            from .run.pool import PagePool

            self._pool = PagePool(self.settings.for_page_processes(), self.settings.concurrency)
        return self._pool

    def warm(self, *, ahead: bool = True) -> None:
        """Start the page processes' server in the background, ahead of the first page that runs,
        and with ``ahead`` the processes the first pages will run in (an engine that runs no page
        itself only starts the server, which every engine of the process shares).

        Not done for every build: a build whose pages all come from the cache needs no server, and
        starting one (it imports NumPy and matplotlib) would slow that build down.
        """
        self.pool.warm(ahead=ahead)

    def warm_if_cold(self, *, ahead: bool = True) -> None:
        """Warm now if the cache is empty: every page will run, so start the server early."""
        if self.cache.is_empty():
            self.warm(ahead=ahead)

    def stop(self) -> None:
        """Stop every running page."""
        if self._pool is not None:
            self._pool.close()
        with self._jobs_lock:
            self._jobs.clear()

    def build(self, wait: float | None = None) -> Build:
        """Begin a build.

        Args:
            wait: ``None``: a page waits for its code however long it runs (``mkdocs build``).
                Seconds: a page whose code still runs that long after it started is rendered
                with a notice instead, and :attr:`on_ready` is called when its result lands.
        """
        return Build(self, wait)

    def start(self, program: PageProgram) -> tuple[_Job, bool]:
        """The job running ``program``, and whether it was started now (not already running).

        A job running other code for the same page is stopped: its result is no longer wanted.
        """
        key = self.cache.key(program)
        with self._jobs_lock:
            job = self._jobs.get(key)
            if job is not None:
                return job, False
            stale = [other for other in self._jobs.values() if other.program.path == program.path]
            for other in stale:
                del self._jobs[other.key]
            job = _Job(program, key, self.pool.submit(program, self.settings.timeout))
            self._jobs[key] = job
        for other in stale:
            self.pool.cancel(other.future)
        job.future.add_done_callback(lambda _future: self._landed(job))
        return job, True

    def _landed(self, job: _Job) -> None:
        """Keep a job's result (failures too: a prose edit does not run a hanging page again)."""
        result: ProgramResult | None = None
        try:
            result = job.future.result()
            self.cache.put(job.program, result)
        except (Exception, CancelledError):  # stopped as stale, or a bug in reckon (reported at its page)
            result = None
        finally:
            with self._jobs_lock:
                if self._jobs.get(job.key) is job:
                    del self._jobs[job.key]
            with job.lock:
                awaited = job.awaited
            job.kept.set()
        if awaited and result is not None and self.on_ready is not None:
            self.on_ready()


class Build:
    """One build: pages are prefetched, then rendered, then summarised."""

    def __init__(self, engine: Engine, wait: float | None = None) -> None:
        self.engine = engine
        self.wait = wait
        self.started = time.perf_counter()
        self._pending: dict[str, tuple[PageSource, PagePlan, _Job | ProgramResult]] = {}
        self._finished_pages: dict[str, tuple[PageSource, AssembledPage]] = {}
        self._lock = threading.Lock()
        self._submitted = self._finished = 0
        self._summarised = False
        self._last_progress = self.started
        self.executed = self.cached = self.running = 0  # how pages ran; what they verified is in page_stats
        self.page_stats: list[PageStats] = []  # one entry for each page with code
        self.dependencies: set[Path] = set()

    def plan(self, page: PageSource) -> PagePlan:
        """Scan and plan a page (cheap: nothing runs)."""
        return plan_page(
            page.markdown,
            path=page.path,
            src_uri=page.src_uri,
            first_line=page.first_line,
            source=page.source,
            math=self.engine.settings.math,
            defaults=dict(self.engine.settings.execute),
        )

    def prefetch(self, page: PageSource) -> None:
        """Start running ``page`` now, unless its results are cached or it has no code."""
        finished = self._reusable(page)
        if finished is not None:  # nothing to run, nothing to plan
            self._finished_pages[page.path] = (page, finished)
            return
        plan = self.plan(page)
        if plan.program.cells:
            self._pending[page.path] = (page, plan, self._start(plan))

    def render(self, page: PageSource) -> RenderedPage:
        """The page with its results in place (running it now if it was not prefetched)."""
        known = self._finished_pages.pop(page.path, None)
        finished = known[1] if known is not None and known[0] == page else self._reusable(page)
        if finished is not None:
            if finished.runs:
                self.cached += 1
            self._watch(finished.dependencies)
            self._count(finished.rendered, finished.has_code)
            return finished.rendered
        prefetched = self._pending.pop(page.path, None)
        # The page MkDocs hands us is usually the one prefetched; another plugin may have changed it.
        plan = prefetched[1] if prefetched is not None and prefetched[0] == page else self.plan(page)
        result: ProgramResult | None = None
        if plan.program.cells:
            same = prefetched is not None and prefetched[1].program == plan.program
            outcome = prefetched[2] if prefetched is not None and same else self._start(plan)
            if isinstance(outcome, _Job):
                result = self._wait_for(outcome, plan)
                if result is None:
                    self.running += 1
                    return pending_page(plan, time.monotonic() - outcome.started)
            else:
                result = outcome
            self._watch(result.dependencies)
        live = plan_live(plan, self.engine.settings.project_dir, timeout=self.engine.settings.timeout)
        rendered = assemble_page(plan, result, note=self.engine.settings.note, live=live)
        self._count(rendered, plan.has_code)
        if result is None or not result.failed:
            dependencies = result.dependencies if result is not None else ()
            finished = AssembledPage(rendered, plan.has_code, bool(plan.program.cells), dependencies)
            self.engine.assembled.put(self._key(page), finished)
        return rendered

    def _watch(self, dependencies: tuple[tuple[str, str], ...]) -> None:
        """Note the files a page's code read, for ``serve`` to watch."""
        project = self.engine.settings.project_dir
        self.dependencies.update(project / path for path, digest in dependencies if digest != ABSENT and not path.endswith("/"))

    def _key(self, page: PageSource) -> str:
        """What a finished page is stored under: the page as written and the settings that shape it."""
        settings = self.engine.settings
        return AssembledPages.key((page, settings.math, settings.note, settings.execute, settings.working_dir, settings.timeout))

    def _reusable(self, page: PageSource) -> AssembledPage | None:
        """``page`` as an earlier build finished it, if neither it nor any file its code read changed since."""
        return self.engine.assembled.get(self._key(page), self.engine.cache.unchanged)

    def _count(self, rendered: RenderedPage, has_code: bool) -> None:
        if has_code:
            self.page_stats.append(rendered.stats)

    def summary(self) -> BuildSummary:
        """What the build did so far; progress is no longer logged after it (pages still running
        under ``serve`` finish during later builds, which report on their own)."""
        with self._lock:
            self._summarised = True
        total = sum(self.page_stats, PageStats())
        return BuildSummary(
            len(self.page_stats),
            self.executed,
            self.cached,
            total.blocks,
            total.claims,
            total.checks,
            total.failures,
            time.perf_counter() - self.started,
            self.running,
        )

    def _start(self, plan: PagePlan) -> _Job | ProgramResult:
        cached = self.engine.cache.get(plan.program)
        if cached is not None:
            self.cached += 1
            return cached
        job, new = self.engine.start(plan.program)
        if new:
            self.executed += 1
            with self._lock:
                self._submitted += 1
            job.future.add_done_callback(self._progress)
        return job

    def _wait_for(self, job: _Job, plan: PagePlan) -> ProgramResult | None:
        """The job's result, or ``None`` if it is still running when this build stops waiting."""
        if self.wait is not None:
            try:
                job.future.result(timeout=max(0.0, job.started + self.wait - time.monotonic()))
            except FutureTimeout:
                with job.lock:
                    if not job.future.done():
                        job.awaited = True
                        return None
            except (Exception, CancelledError):
                pass  # _result_of says what went wrong
        result = _result_of(job.future, plan)
        job.kept.wait()  # so that a build right after this one finds the result in the cache
        return result

    def _progress(self, _future: Future[ProgramResult]) -> None:
        with self._lock:
            self._finished += 1
            now = time.perf_counter()
            if self._summarised or now - self.started < 2 or now - self._last_progress < 2:
                return
            self._last_progress = now
            finished, submitted = self._finished, self._submitted
        self.engine.log(f"reckon: {finished}/{submitted} pages run")
