"""The page server: its settings reach the page processes, never the MkDocs process's environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reckon.page.plan import plan_page
from reckon.run.pool import SERVER_SETTINGS, PagePool
from reckon.run.process import ProcessSettings

ROOT = Path(__file__).resolve().parents[2]
PAGE = """\
```{python}
import os, sys
threads = os.environ.get("OPENBLAS_NUM_THREADS")
seed = os.environ.get("PYTHONHASHSEED")
```

`{python} threads` `{python} seed`
"""


def page_environment(concurrency: int) -> list[str]:
    pool = PagePool(ProcessSettings(str(ROOT)), concurrency=concurrency)
    try:
        plan = plan_page(PAGE, path="docs/page.md", src_uri="page.md")
        result = pool.run(plan.program, 60)
    finally:
        pool.close()
    return [cell.text for cell in result.cells[1:] if cell is not None and hasattr(cell, "text")]


def test_the_server_settings_reach_the_pages_and_leave_the_mkdocs_process_environment_as_it_was() -> None:
    before = {name: os.environ.get(name) for name in (SERVER_SETTINGS, "PYTHONHASHSEED", "OPENBLAS_NUM_THREADS")}
    cores = os.cpu_count() or 1
    threads, seed = page_environment(concurrency=1)
    assert seed == "0"
    if before["OPENBLAS_NUM_THREADS"] is None:  # an author's own setting wins, and this machine may set one
        assert threads == str(max(1, cores))
    assert {name: os.environ.get(name) for name in before} == before


def test_a_new_pool_starts_a_server_with_its_own_settings_not_the_first_pools() -> None:
    if os.environ.get("OPENBLAS_NUM_THREADS") is not None or (os.cpu_count() or 1) < 2:
        pytest.skip("the thread count is set in the environment (or the machine has one core): nothing to tell apart")
    cores = os.cpu_count() or 1
    assert page_environment(concurrency=1)[0] == str(cores)
    assert page_environment(concurrency=cores)[0] == "1"


TEARDOWN_PROBE = """\
import reckon.run.preload

class Probe:
    def __del__(self):
        print("torn down", flush=True)

probe = Probe()  # collected when the interpreter tears its modules down, after the exit handlers
"""


@pytest.mark.parametrize("as_server", [True, False])
def test_the_server_ends_without_tearing_down_its_modules_and_other_importers_are_left_alone(as_server: bool) -> None:
    environment = {key: value for key, value in os.environ.items() if key != SERVER_SETTINGS}
    if as_server:
        environment[SERVER_SETTINGS] = "{}"
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT / "plugins"), *filter(None, [environment.get("PYTHONPATH")])])
    command = [sys.executable, "-c", TEARDOWN_PROBE]
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    assert ("torn down" in completed.stdout) is not as_server


# A page process's age, from the kernel's own record of when it started (/proc, in clock ticks
# since boot) against the time since boot now.
AGE_PAGE = """\
```{python}
import os
with open("/proc/self/stat") as stat:
    started = int(stat.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
with open("/proc/uptime") as uptime:
    age = float(uptime.read().split()[0]) - started
server = os.getppid()
```

`{python} age` `{python} server`
"""

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process start times from /proc (Linux)")


def inline_values(result: object) -> list[str]:
    return [cell.text for cell in getattr(result, "cells", ()) if cell is not None and hasattr(cell, "text")]


def children_of(pid: int) -> set[int]:
    """The live (not zombie) processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


@needs_proc
def test_a_page_runs_in_a_process_started_before_the_page_was_given_to_the_pool() -> None:
    pool = PagePool(ProcessSettings(str(ROOT)), concurrency=1)
    plan = plan_page(AGE_PAGE, path="docs/page.md", src_uri="page.md")
    try:
        first = pool.run(plan.program, 60)  # starts the server, and a process for the next page
        assert first.error is None
        time.sleep(1.0)
        age, _server = inline_values(pool.run(plan.program, 60))
    finally:
        pool.close()
    assert float(age) >= 0.8  # it was waiting while this test slept (clock ticks are 10 ms)


@needs_proc
def test_a_process_that_died_waiting_for_a_page_is_replaced_and_the_page_still_runs() -> None:
    pool = PagePool(ProcessSettings(str(ROOT)), concurrency=1)
    plan = plan_page(AGE_PAGE, path="docs/page.md", src_uri="page.md")
    try:
        server = int(inline_values(pool.run(plan.program, 60))[1])
        waiting = children_of(server)
        assert waiting  # the process started for the next page
        for pid in waiting:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while children_of(server) & waiting and time.monotonic() < deadline:  # gone, not dying
            time.sleep(0.01)
        result = pool.run(plan.program, 60)
    finally:
        pool.close()
    assert result.error is None
    assert float(inline_values(result)[0]) < 5


@needs_proc
def test_closing_a_pool_ends_every_pools_waiting_processes_without_waiting_for_them() -> None:
    """The fork server, which closing a pool stops, waits for every process it forked: those
    waiting for a page of another pool must end, or closing would never return."""
    plan = plan_page(AGE_PAGE, path="docs/page.md", src_uri="page.md")
    keeping = PagePool(ProcessSettings(str(ROOT)), concurrency=2)
    closing = PagePool(ProcessSettings(str(ROOT)), concurrency=1)
    try:
        server = int(inline_values(keeping.run(plan.program, 60))[1])
        closing.run(plan.program, 60)
        assert len(children_of(server)) >= 2
        closer = threading.Thread(target=closing.close, daemon=True)
        closer.start()
        closer.join(timeout=30)
        assert not closer.is_alive()
        assert not children_of(server)
        assert inline_values(keeping.run(plan.program, 60))[1] != str(server)  # it runs on, with a server of its own
    finally:
        keeping.close()


@needs_proc
def test_closing_a_pool_while_another_pool_starts_a_process_ahead_neither_hangs_nor_leaves_it_behind() -> None:
    """A process started ahead is in its pool's list only a moment after it starts: a stop of
    the server that came in between would miss it, and then wait for it for ever."""
    plan = plan_page(AGE_PAGE, path="docs/page.md", src_uri="page.md")
    starting = PagePool(ProcessSettings(str(ROOT)), concurrency=1)
    closing = PagePool(ProcessSettings(str(ROOT)), concurrency=1)
    try:
        server = int(inline_values(closing.run(plan.program, 60))[1])  # the server is up
        keep = starting._keep
        started = threading.Event()

        def keep_slowly(ready: object) -> bool:
            started.set()
            time.sleep(1.0)  # the other pool closes now
            return keep(ready)  # type: ignore[arg-type]

        starting._keep = keep_slowly  # type: ignore[method-assign]
        starter = threading.Thread(target=starting._start_ahead, daemon=True)
        starter.start()
        assert started.wait(30)
        closer = threading.Thread(target=closing.close, daemon=True)
        closer.start()
        closer.join(timeout=30)
        starter.join(timeout=30)
        assert not closer.is_alive()
        assert not children_of(server)
    finally:
        starting.close()
