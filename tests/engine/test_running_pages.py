"""Pages whose code is still running: served with a notice, stopped when their code changes, and
their results (failures and timeouts too) kept like any other, so a prose edit runs nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reckon.engine import Engine, EngineSettings, PageSource
from reckon.page.pending import PENDING_NOTICE
from reckon.run.pool import PageCancelled, PagePool
from reckon.run.process import ProcessSettings
from reckon.wire import CodeCell, PageProgram

HANG = "# P\n\nProse.\n\n```{python}\nwhile True:\n    pass\n```\n\nIt is `{python} 6 * 7 = 42`.\n"
FIXED = "# P\n\nProse.\n\n```{python}\nx = 6 * 7\n```\n\nIt is `{python} x = 42`.\n"

MakeEngine = Callable[..., Engine]


@pytest.fixture
def make_engine(tmp_path: Path) -> Iterator[MakeEngine]:
    engines: list[Engine] = []

    def make(**settings: object) -> Engine:
        (tmp_path / "docs").mkdir(exist_ok=True)
        engine = Engine(EngineSettings(project_dir=tmp_path, **settings), log=lambda message: None, warn=lambda message: None)  # type: ignore[arg-type]
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.stop()


def page(markdown: str, name: str = "p") -> PageSource:
    return PageSource(f"docs/{name}.md", f"{name}.md", markdown, 1, markdown)


def test_a_page_still_running_is_served_with_a_notice_and_its_prose(make_engine: MakeEngine) -> None:
    engine = make_engine(timeout=40, concurrency=1)
    build = engine.build(wait=0.1)
    rendered = build.render(page(HANG))
    assert PENDING_NOTICE in rendered.markdown
    assert "Prose." in rendered.markdown
    assert "while True:" in rendered.markdown  # the code is shown as its options say
    assert "42" in rendered.markdown
    assert "{python}" not in rendered.markdown
    assert rendered.diagnostics == []
    assert build.summary().running == 1
    assert "1 page still running" in str(build.summary())
    assert str(build.summary()).startswith("1 page with code (1 run, 0 from cache)")  # the running page is one of the pages


def test_a_code_edit_stops_the_stale_run_at_once_so_the_fix_runs_even_with_one_process(make_engine: MakeEngine) -> None:
    engine = make_engine(timeout=40, concurrency=1)
    assert PENDING_NOTICE in engine.build(wait=0.1).render(page(HANG)).markdown
    # With one page process, the fix could only run after the 40 s timeout if the hang went on;
    # this build waits less than that, so a result proves the hang was stopped.
    fixed = engine.build(wait=30).render(page(FIXED))
    assert PENDING_NOTICE not in fixed.markdown
    assert fixed.diagnostics == []
    assert fixed.stats.claims == 1


def test_on_ready_is_called_when_a_result_lands_and_the_next_build_takes_it_from_the_cache(make_engine: MakeEngine) -> None:
    engine = make_engine(timeout=40, concurrency=1)
    landed = threading.Event()
    engine.on_ready = landed.set
    slow = "# S\n\n```{python}\nimport time\ntime.sleep(1)\nx = 2\n```\n\n`{python} x = 2`\n"
    first = engine.build(wait=0)
    assert PENDING_NOTICE in first.render(page(slow)).markdown
    assert landed.wait(60)
    second = engine.build(wait=0)
    rendered = second.render(page(slow))
    assert PENDING_NOTICE not in rendered.markdown
    assert rendered.stats.claims == 1
    assert (second.summary().executed, second.summary().cached) == (0, 1)


def test_a_page_waited_for_in_full_does_not_call_on_ready(make_engine: MakeEngine) -> None:
    engine = make_engine(timeout=40, concurrency=1)
    calls: list[None] = []
    engine.on_ready = lambda: calls.append(None)
    engine.build().render(page(FIXED))
    engine.stop()  # waits for the pool's threads, and so for the callback
    assert calls == []


@pytest.mark.parametrize(
    ("code", "message"),
    [("raise ValueError('no')", "ValueError: no"), ("while True:\n    pass", "the code ran longer than the 1 s timeout")],
)
def test_a_failure_or_a_timeout_is_cached_so_a_prose_edit_runs_nothing(
    make_engine: MakeEngine, tmp_path: Path, code: str, message: str
) -> None:
    cache = tmp_path / "cache"
    markdown = f"# F\n\n```{{python}}\n{code}\n```\n"
    engine = make_engine(timeout=1, concurrency=1, cache_dir=cache)
    first = engine.build()
    assert any(message in d.message for d in first.render(page(markdown)).diagnostics)
    engine.stop()  # the next engine reads the result from disk, as the next `mkdocs build` does
    again = make_engine(timeout=1, concurrency=1, cache_dir=cache).build()
    reworded = again.render(page(markdown.replace("# F", "# F, reworded\n\nNew prose.")))
    assert any(message in d.message for d in reworded.diagnostics)
    assert "New prose." in reworded.markdown
    assert (again.summary().executed, again.summary().cached) == (0, 1)
    raised = make_engine(timeout=2, concurrency=1, cache_dir=cache).build()
    raised.render(page(markdown))
    assert raised.summary().executed == 1  # a failure holds only under the limits it ran under: raising one runs it again


def test_cancel_stops_a_running_page_and_drops_a_waiting_one(tmp_path: Path) -> None:
    pool = PagePool(ProcessSettings(str(tmp_path)), concurrency=1)
    try:
        hang = PageProgram("docs/h.md", (CodeCell("block", "while True:\n    pass", 3),))
        running, waiting = pool.submit(hang, 40), pool.submit(hang, 40)
        pool.cancel(waiting)
        assert waiting.cancelled()
        pool.cancel(running)  # whether its process has started yet or not
        with pytest.raises(PageCancelled):
            running.result(timeout=30)  # well before its 40 s timeout
    finally:
        pool.close()


def test_a_page_still_running_when_its_pool_closes_is_cancelled_not_a_crash(tmp_path: Path) -> None:
    """A build reuses a page another build finished while its own run of it goes on; closing the
    pool at the end stops that run, whose end must not be kept (or cached) as the page's result."""
    pool = PagePool(ProcessSettings(str(tmp_path)), concurrency=1)
    hang = PageProgram("docs/h.md", (CodeCell("block", "import time\nwhile True:\n    time.sleep(0.01)", 3),))
    running = pool.submit(hang, 40)
    deadline = time.monotonic() + 60
    while not any(run.process is not None for run in pool._runs.values()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # it is running its code now
    pool.close()
    with pytest.raises(PageCancelled):
        running.result(timeout=30)
