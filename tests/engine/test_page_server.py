"""The page server: its settings reach the page processes, never the MkDocs process's environment."""

from __future__ import annotations

import os
import subprocess
import sys
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
