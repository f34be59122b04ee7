"""`mkdocs serve` shows a failure in the page, keeps serving, and the next good edit clears it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator

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
        server.communicate(timeout=30)  # waits, and closes the output pipe


def test_serve_shows_the_failure_in_the_page_keeps_serving_and_clears_it_after_a_fix(serve: Callable[..., tuple[FixtureSite, str, subprocess.Popen[str]]]) -> None:
    fixture, url, server = serve({"index.md": "# Home\n\n`{python} 1 + 1 = 3`\n", "other.md": "# Other\n\n`{python} 2 * 3 = 6`\n"})
    page = fetch(url)
    assert "reckon found 1 problem on this page" in page
    assert "docs/index.md:3:" in page and "claim is false: the page says 3" in page
    assert "6" in fetch(url + "other/")
    assert server.poll() is None
    fixture.write("docs/index.md", "# Home\n\n`{python} 1 + 1 = 2`\n")
    wait_for(lambda: "reckon found" not in fetch(url))
    assert "When this site was built, 1 number on this page was checked against the computation" in fetch(url)
    fixture.write("docs/index.md", "# Home\n\n```{python}\nraise ValueError('again')\n```\n")
    wait_for(lambda: "ValueError: again" in fetch(url))
    assert server.poll() is None


def test_serve_survives_pages_that_crash_or_hang_their_process_and_a_fix_clears_them(serve: Callable[..., tuple[FixtureSite, str, subprocess.Popen[str]]]) -> None:
    crash = "# Home\n\n```{python}\nimport os\nos.abort()\n```\n"
    fixture, url, server = serve({"index.md": crash, "other.md": "# Other\n\n`{python} 2 * 3 = 6`\n"}, timeout=3)
    assert "docs/index.md:5: the process running this page crashed (SIGABRT)" in fetch(url)
    assert "Other" in fetch(url + "other/") and server.poll() is None
    fixture.write("docs/index.md", "# Home\n\n```{python}\nwhile True:\n    pass\n```\n")
    wait_for(lambda: "docs/index.md:4: the code ran longer than the 3 s timeout and was stopped" in fetch(url))
    assert server.poll() is None
    fixture.write("docs/index.md", "# Home\n\n`{python} 6 * 7 = 42`\n")
    wait_for(lambda: "reckon found" not in fetch(url))
    assert "When this site was built, 1 number on this page was checked against the computation" in fetch(url) and server.poll() is None
