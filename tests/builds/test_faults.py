"""Faults around a build, each handled: a damaged cache, a cache folder that cannot be written, two
builds sharing one cache at once, and a page process killed from outside while it runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fixture_sites import FixtureSite
from reckon.assembled import AssembledPages
from reckon.cache import ResultCache

SiteMaker = Callable[..., FixtureSite]


def pages(count: int, salt: str = "") -> dict[str, str]:
    """Pages whose code (and so whose cache key) changes with ``salt``; page i claims i squared.

    Each prints enough (19,000 characters) that its cache entry is written in several pieces.
    """
    return {
        f"p{index}.md": (
            f"# Page {index}\n\n```{{python}}\n#| echo: false\n# {salt}\nvalue = {index} * {index}\nprint('{index}' * 19_000)\n```\n\n"
            f"Squared: `{{python}} value = {index * index}`.\n"
        )
        for index in range(count)
    }


def config(cache_dir: str) -> str:
    return f"""\
site_name: faults
theme: {{name: material, font: false}}
markdown_extensions: [pymdownx.superfences]
plugins:
  - reckon:
      cache_dir: {cache_dir}
"""


def test_truncated_and_garbled_entries_are_recomputed_correctly_and_stored_again(site: SiteMaker) -> None:
    fixture = site(pages(3), cache=True)
    assert fixture.build().ran == (3, 0)
    entries = sorted((fixture.root / ".cache" / "plugin" / "reckon").rglob("*.jsonl"))
    assert len(entries) == 3
    entries[0].write_bytes(entries[0].read_bytes()[: len(entries[0].read_bytes()) // 2])
    entries[1].write_bytes(b"")
    entries[2].write_bytes(os.urandom(64))
    for finished in (fixture.root / ".cache" / "plugin" / "reckon" / "pages").rglob("*.json"):  # and every finished page
        finished.write_bytes(os.urandom(64))
    rebuilt = fixture.build()
    assert rebuilt.code == 0, rebuilt.log
    assert rebuilt.ran == (3, 0)
    assert all(f"Squared: {index * index}." in rebuilt.page(f"p{index}") for index in range(3))
    again = fixture.build()
    assert again.code == 0 and again.ran == (0, 3)  # the recomputed results were stored again


def test_a_cache_folder_that_cannot_be_created_warns_once_and_the_build_goes_on_uncached(site: SiteMaker) -> None:
    # We may run as root, for whom no folder is read-only: a regular file where a folder must be
    # stops anyone from creating the cache folder.
    fixture = site(pages(3), config=config("blocker/cache"))
    fixture.write("blocker", "a file, not a folder\n")
    for _ in range(2):
        outcome = fixture.build()
        assert outcome.code == 0, outcome.log
        assert outcome.ran == (3, 0)
        warnings = [line for line in outcome.log.splitlines() if line.startswith("WARNING")]
        assert len(warnings) == 1, warnings
        assert "the cache folder" in warnings[0] and "blocker/cache cannot be written" in warnings[0]
        assert "building without a disk cache" in warnings[0]
        assert all(f"Squared: {index * index}." in outcome.page(f"p{index}") for index in range(3))
    assert (fixture.root / "blocker").read_text() == "a file, not a folder\n"


def test_two_builds_at_once_sharing_one_cache_both_succeed_and_leave_it_sound(tmp_path: Path) -> None:
    cache = tmp_path / "shared-cache"
    projects = [FixtureSite(tmp_path / name) for name in ("first", "second")]
    count = 6
    for round_number in range(5):  # new code every round: both builds compute every page and write it at once
        for project in projects:
            project.write("mkdocs.yml", config(str(cache)), dedent=False)
            for name, text in pages(count, salt=f"round {round_number}").items():
                project.write(f"docs/{name}", text, dedent=False)
        # The second build starts a little later each round, so that it also reads entries while the first writes them.
        delays = (0.0, 0.4 * round_number)
        with ThreadPoolExecutor(2) as builds:
            outcomes = list(builds.map(lambda project, delay: time.sleep(delay) or project.build(timeout=120), projects, delays))
        for outcome in outcomes:
            assert outcome.code == 0, outcome.log
            assert "WARNING" not in outcome.log and "ERROR" not in outcome.log, outcome.log
            assert all(f"Squared: {index * index}." in outcome.page(f"p{index}") for index in range(count))
    entries = sorted(cache.rglob("*.jsonl"))
    assert len(entries) == 5 * count  # one per page and round: the two builds wrote the same keys
    reader = ResultCache(cache, tmp_path)
    assert [entry.name for entry in entries if reader._read(entry.stem) is None] == []  # each one whole, its checksum right
    finished = AssembledPages(cache / "pages")
    assert [entry.name for entry in (cache / "pages").rglob("*.json") if finished._read(entry.stem) is None] == []
    assert not [path.name for path in cache.rglob(".tmp-*")]  # no temporary files left
    for project in projects:
        again = project.build()
        assert again.code == 0 and again.ran == (0, count), again.log


def test_a_page_process_killed_from_outside_is_reported_at_its_line_and_the_build_goes_on(site: SiteMaker, tmp_path: Path) -> None:
    pid_file = tmp_path / "page.pid"
    slow = f"# Slow\n\n```{{python}}\nimport os\nimport time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(60)\n```\n"
    fixture = site({"slow.md": slow, **pages(3)}, timeout=120)
    build = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=fixture.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(int(pid_file.read_text()), signal.SIGKILL)
        log, _ = build.communicate(timeout=60)
    finally:
        build.kill()
    assert build.returncode == 1, log
    assert "ERROR   -  docs/slow.md:4: the process running this page was killed (SIGKILL)" in log
    assert "reckon: 1 failure (listed above); the build fails" in log
    for index in range(3):
        assert f"Squared: {index * index}." in (fixture.root / "site" / f"p{index}" / "index.html").read_text(encoding="utf-8")
