"""`mkdocs serve` shows a failure in the page, keeps serving, and the next good edit clears it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fixture_sites import FixtureSite

SiteMaker = Callable[..., FixtureSite]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError("the condition did not hold in time")


@pytest.fixture
def serve(site: SiteMaker) -> Iterator[Callable[..., tuple[FixtureSite, str, subprocess.Popen[str]]]]:
    servers: list[subprocess.Popen[str]] = []

    def start(pages: dict[str, str], **options: object) -> tuple[FixtureSite, str, subprocess.Popen[str]]:
        fixture = site(pages, **options)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=fixture.root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        servers.append(server)
        url = f"http://127.0.0.1:{port}/"
        wait_for(lambda: bool(fetch(url)))
        return fixture, url, server

    yield start
    for server in servers:
        server.terminate()
        log, _ = server.communicate(timeout=30)  # waits, and closes the output pipe
        print(log)  # shown when the test fails


def test_serve_shows_the_failure_in_the_page_keeps_serving_and_clears_it_after_a_fix(
    serve: Callable[..., tuple[FixtureSite, str, subprocess.Popen[str]]],
) -> None:
    fixture, url, server = serve({"index.md": "# Home\n\n`{python} 1 + 1 = 3`\n", "other.md": "# Other\n\n`{python} 2 * 3 = 6`\n"})
    wait_for(lambda: "reckon found 1 problem on this page" in fetch(url))  # a page still running is served first with a notice
    page = fetch(url)
    assert "docs/index.md:3:" in page and "claim is false: the page says 3" in page
    assert "6" in fetch(url + "other/")
    assert server.poll() is None
    fixture.write("docs/index.md", "# Home\n\n`{python} 1 + 1 = 2`\n")
    wait_for(lambda: "1 number on this page was checked against the computation" in fetch(url))
    assert "reckon found" not in fetch(url)
    fixture.write("docs/index.md", "# Home\n\n```{python}\nraise ValueError('again')\n```\n")
    wait_for(lambda: "ValueError: again" in fetch(url))
    assert server.poll() is None


def test_serve_survives_pages_that_crash_or_hang_their_process_and_a_fix_clears_them(
    serve: Callable[..., tuple[FixtureSite, str, subprocess.Popen[str]]],
) -> None:
    crash = "# Home\n\n```{python}\nimport os\nos.abort()\n```\n"
    fixture, url, server = serve({"index.md": crash, "other.md": "# Other\n\n`{python} 2 * 3 = 6`\n"}, timeout=3)
    wait_for(lambda: "docs/index.md:5: the process running this page crashed (SIGABRT)" in fetch(url))
    assert "Other" in fetch(url + "other/") and server.poll() is None
    # On one line, so that wherever in the loop the stack is sampled, it is at line 4.
    fixture.write("docs/index.md", "# Home\n\n```{python}\nwhile True: pass\n```\n")
    wait_for(lambda: "docs/index.md:4: the code ran longer than the 3 s timeout and was stopped" in fetch(url))
    assert server.poll() is None
    fixture.write("docs/index.md", "# Home\n\n`{python} 6 * 7 = 42`\n")
    wait_for(lambda: "1 number on this page was checked against the computation" in fetch(url))
    assert "reckon found" not in fetch(url) and server.poll() is None


SERVE_CONFIG = """\
site_name: fixture
theme: {name: mkdocs}
markdown_extensions: [admonition, pymdownx.details, pymdownx.superfences]
plugins:
  - reckon:
      timeout: 40
      cache: false
      concurrency: 2
"""
Serve = Callable[..., tuple[FixtureSite, str, subprocess.Popen[str]]]


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def shown(html: str) -> str:
    """The page's text as served, apostrophes as written."""
    return html.replace("&#x27;", "'").replace("&#39;", "'")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to see whether the hanging page still runs")
def test_a_hanging_page_holds_neither_its_fix_nor_the_other_pages(serve: Serve, tmp_path: Path) -> None:
    pid_file = tmp_path / "hang.pid"
    pages = {"index.md": "# Home\n\n`{python} 1 + 1 = 2`\n", "other.md": "# Other\n\n`{python} 2 * 3 = 6`\n"}
    fixture, url, server = serve(pages, config=SERVE_CONFIG)
    write_pid = f"import os\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))"
    hang = f"# Home\n\nProse.\n\n```{{python}}\n{write_pid}\nwhile True:\n    pass\n```\n"
    fixture.write("docs/index.md", hang)
    saved = time.monotonic()
    wait_for(lambda: "still running this page's code" in shown(fetch(url)))  # the build did not wait for the loop
    wait_for(lambda: pid_file.exists() and bool(pid_file.read_text()))
    pid = int(pid_file.read_text())
    fixture.write("docs/other.md", "# Other\n\nEdited: `{python} 2 * 4 = 8`.\n")
    wait_for(lambda: "Edited: 8." in fetch(url + "other/") and "checked against the computation" in fetch(url + "other/"))
    assert running(pid)  # the other page was edited, rebuilt and served while the loop ran
    fixture.write("docs/index.md", "# Home\n\nFixed.\n\n`{python} 6 * 7 = 42`\n")
    # The loop's timeout is 40 s; the fix must not wait for it: 20 s from saving the loop is a wide margin.
    wait_for(
        lambda: "Fixed." in fetch(url) and "checked against the computation" in fetch(url), seconds=max(0.0, saved + 20 - time.monotonic())
    )
    assert "still running" not in shown(fetch(url))
    wait_for(lambda: not running(pid), seconds=10)  # the stale run was stopped, not left to time out
    assert server.poll() is None


def test_a_slow_page_is_served_with_a_notice_then_reloads_with_its_result_without_any_edit(serve: Serve) -> None:
    fixture, url, server = serve({"index.md": "# Home\n", "other.md": "# Other\n"}, config=SERVE_CONFIG)
    fixture.write("docs/index.md", "# Home\n\n```{python}\nimport time\ntime.sleep(4)\nx = 2\n```\n\nTwo is `{python} x = 2`.\n")
    wait_for(lambda: "still running this page's code" in shown(fetch(url)))
    wait_for(lambda: "1 number on this page was checked against the computation" in fetch(url))  # the result landed: the server rebuilt
    assert server.poll() is None


def test_serve_watches_the_modules_and_data_outside_docs_that_pages_use_and_reruns_only_their_pages(serve: Serve, tmp_path: Path) -> None:
    runs = tmp_path / "runs.log"
    record = f"open({str(runs)!r}, 'a').write(__file__ + '\\n')"
    pages = {
        "a.md": f"# A\n\n```{{python}}\n{record}\nimport mylib\n```\n\nA is `{{python}} mylib.VALUE = 1`.\n",
        "b.md": f"# B\n\n```{{python}}\n{record}\nrows = open('../data/rows.txt').read().split()\n```\n\n`{{python}} len(rows) = 2`\n",
        "c.md": f"# C\n\n```{{python}}\n{record}\nc = 3\n```\n\nC is `{{python}} c = 3`.\n",
    }
    fixture, url, server = serve({"index.md": "# Home\n"}, config=SERVE_CONFIG)  # the pages come once their files are there
    fixture.write("mylib/__init__.py", "VALUE = 1\n")
    fixture.write("data/rows.txt", "x y\n")
    for name, text in pages.items():
        fixture.write(f"docs/{name}", text)
    wait_for(lambda: all("checked against the computation" in fetch(url + f"{name}/") for name in "abc"))
    wait_for(lambda: sorted(runs.read_text().split()) == ["docs/a.md", "docs/b.md", "docs/c.md"])
    fixture.write("mylib/__init__.py", "VALUE = 2\n")
    wait_for(lambda: "the page says 1, but `mylib.VALUE` is 2" in shown(fetch(url + "a/")))
    fixture.write("data/rows.txt", "x y z\n")
    wait_for(lambda: "the page says 2, but `len(rows)` is 3" in shown(fetch(url + "b/")))
    assert sorted(runs.read_text().split()) == ["docs/a.md", "docs/a.md", "docs/b.md", "docs/b.md", "docs/c.md"]
    assert server.poll() is None
