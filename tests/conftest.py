"""Fixtures shared by every tier: a warm page pool, a page renderer, and fixture sites."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fixture_sites import FixtureSite
from reckon.page.assemble import RenderedPage
from reckon.page.render import render_page
from reckon.run.pool import PagePool
from reckon.run.process import ProcessSettings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def page_pool() -> Iterator[PagePool]:
    """Page processes forked from one warm server, as in a real build."""
    pool = PagePool(ProcessSettings(str(ROOT)), concurrency=2)
    pool.warm()
    yield pool
    pool.close()


@pytest.fixture
def render(page_pool: PagePool) -> Callable[..., RenderedPage]:
    """Run a page's Markdown through the whole engine: plan, run in a page process, assemble."""

    def render(
        markdown: str, *, path: str = "docs/page.md", src_uri: str = "page.md", first_line: int = 1, timeout: float = 20, note: bool = False
    ) -> RenderedPage:
        run = lambda program: page_pool.run(program, timeout)  # noqa: E731
        return render_page(textwrap.dedent(markdown), path=path, src_uri=src_uri, run=run, first_line=first_line, note=note)

    return render


MINIMAL_CONFIG = """\
site_name: fixture
theme: {name: material, font: false}
markdown_extensions:
  - pymdownx.arithmatex: {generic: true}
  - pymdownx.superfences
  - pymdownx.tabbed: {alternate_style: true}
  - admonition
  - pymdownx.details
plugins:
  - reckon:
      timeout: %(timeout)s
      cache: %(cache)s
"""


@pytest.fixture
def site(tmp_path: Path) -> Callable[..., FixtureSite]:
    """Make a fixture site: ``site({"index.md": "..."}, timeout=5)``."""

    def make(pages: dict[str, str], *, timeout: float = 20, cache: bool = False, config: str | None = None) -> FixtureSite:
        fixture = FixtureSite(tmp_path / "project")
        fixture.write("mkdocs.yml", config or MINIMAL_CONFIG % {"timeout": timeout, "cache": str(cache).lower()}, dedent=False)
        for name, text in pages.items():
            fixture.write(f"docs/{name}", text)
        return fixture

    return make


#: The tiers, by folder: `-m fast` runs units and Markdown-level tests only (no mkdocs builds, no browser).
_TIERS = {
    "engine": "fast",
    "markdown": "fast",
    "domain": "fast",
    "katex": "build",
    "builds": "build",
    "corpus": "build",
    "site": "build",
    "publish": "build",
    "benchmarks": "build",
    "search": "build",
    "browser": "browser",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test with its tier, from the folder it is in (a test outside every tier is an error)."""
    tests = Path(__file__).resolve().parent
    for item in items:
        folder = Path(item.path).resolve().relative_to(tests).parts[0]
        if folder not in _TIERS:
            raise pytest.UsageError(f"{item.nodeid}: tests/{folder}/ belongs to no tier; add it to _TIERS in tests/conftest.py")
        item.add_marker(_TIERS[folder])
