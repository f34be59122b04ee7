"""Resource limits of page processes: memory and CPU time, set with setrlimit in the page's process."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from reckon.page.assemble import RenderedPage, assemble_page
from reckon.page.plan import plan_page
from reckon.run.pool import PagePool
from reckon.run.process import ProcessSettings

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT_MIB = 512
CPU_LIMIT_S = 1


@pytest.fixture(scope="module")
def memory_pool() -> Iterator[PagePool]:
    pool = PagePool(ProcessSettings(str(ROOT), memory_limit_mb=MEMORY_LIMIT_MIB), concurrency=1)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def cpu_pool() -> Iterator[PagePool]:
    pool = PagePool(ProcessSettings(str(ROOT), cpu_limit_s=CPU_LIMIT_S), concurrency=1)
    yield pool
    pool.close()


def run(pool: PagePool, markdown: str, timeout: float = 30) -> RenderedPage:
    plan = plan_page(textwrap.dedent(markdown), path="docs/page.md", src_uri="page.md")
    return assemble_page(plan, pool.run(plan.program, timeout), note=False)


def test_allocating_more_than_the_memory_limit_is_a_memory_error_at_its_line_that_names_the_limit(memory_pool: PagePool) -> None:
    page = run(memory_pool, "```{python}\nsmall = bytearray(64 * 2**20)\nhuge = bytearray(2 * 2**30)\n```\n")
    (diagnostic,) = page.diagnostics
    assert (diagnostic.line, diagnostic.col) == (3, 8)
    assert diagnostic.message.startswith("MemoryError (the code ran out of memory: ")
    assert f"{MEMORY_LIMIT_MIB} MiB" in diagnostic.message and "memory_limit" in diagnostic.message


def test_numpy_running_out_of_memory_keeps_its_own_message_and_names_the_limit(memory_pool: PagePool) -> None:
    page = run(memory_pool, "```{python}\nimport numpy as np\nnp.ones(2**28)\n```\n")
    (diagnostic,) = page.diagnostics
    assert diagnostic.line == 3
    assert "Unable to allocate 2.00 GiB" in diagnostic.message and f"{MEMORY_LIMIT_MIB} MiB" in diagnostic.message


def test_a_block_that_uses_more_cpu_time_than_the_limit_is_stopped_and_reported_at_its_line(cpu_pool: PagePool) -> None:
    page = run(cpu_pool, "```{python}\nx = 1\n```\n\n```{python}\ny = 2\nwhile True: x += 1\n```\n")
    (diagnostic,) = page.diagnostics
    assert diagnostic.line == 7  # the line it was on when the limit stopped it
    assert f"used more than its CPU-time limit of {CPU_LIMIT_S} s" in diagnostic.message
    assert 'File "docs/page.md", line 7, in <module>\n    while True: x += 1' in diagnostic.detail


def test_native_output_larger_than_the_memory_limit_is_bounded_in_the_page_with_a_notice(memory_pool: PagePool) -> None:
    # What native code writes to file descriptor 1 is collected from a file; reading it whole ran out of memory.
    page = run(memory_pool, "```{python}\n#| echo: false\nimport os\nfor _ in range(384):\n    os.write(1, b'x' * 2**20)\n```\n")
    assert page.diagnostics == []
    omitted = 384 * 2**20 - 20_000
    assert f"… {omitted:,} more characters of output not shown" in page.markdown
    assert len(page.markdown) < 25_000
