"""The browser tier's session: the real site built once, served on 127.0.0.1, one Chromium, every page visited once."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from page_visits import CHROMIUM, CHROMIUM_ARGS, Visit, visit
from served_site import ROOT, BuiltSite, build_site, serve

SCREENSHOTS = ROOT / "test-results" / "screenshots"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The repository's site, built with its own mkdocs.yml into a temporary folder."""
    site = build_site(tmp_path_factory.mktemp("built") / "site")
    if site.code != 0:
        pytest.fail(f"mkdocs build failed (exit {site.code}); the browser tests need the site:\n{site.log[-6000:]}")
    return site


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """The built site served on 127.0.0.1 below its site_url's path (``/reckon/``), until the session ends."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, launched once for the whole session."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the README's test command installs it (apt-get install chromium)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def visits(built_site: BuiltSite, site_url: str, browser: Browser) -> list[Visit]:
    """Every page of the nav, visited once in each palette; screenshots under test-results/screenshots/."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    return [visit(browser, site_url + page.path, page, SCREENSHOTS) for page in built_site.pages]


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's script, as ``python -m npm_pinned install axe-core`` installed it (the README's test command does)."""
    from npm_pinned import AXE_CORE, find

    installed = find(AXE_CORE)
    if installed is None:
        pytest.fail(f"axe-core {AXE_CORE.version} is not installed: run {sys.executable} -m npm_pinned install axe-core")
    return installed.path("axe.min.js").read_text(encoding="utf-8")
