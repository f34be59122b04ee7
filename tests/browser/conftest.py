"""The browser tier's session: the real site built once, served on 127.0.0.1, one Chromium, every page visited once."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from page_visits import CHROMIUM, CHROMIUM_ARGS, Visit, visit
from served_site import ROOT, BuiltSite, build_site, nav_pages, serve

SCREENSHOTS = ROOT / "test-results" / "screenshots"


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BuiltSite, str]]:
    """The repository's site built with its own mkdocs.yml into a temporary folder, and its address.

    It is served on 127.0.0.1 below the path of the configured site_url (``/reckon/``), as GitHub
    Pages serves it, until the session ends; the build is told that address as its site_url.
    """
    mount, _pages = nav_pages()
    folder = tmp_path_factory.mktemp("built") / "site"
    with serve(folder, mount) as url:
        site = build_site(folder, site_url=url)
        if site.code != 0:
            pytest.fail(f"mkdocs build failed (exit {site.code}); the browser tests need the site:\n{site.log[-6000:]}")
        yield site, url


@pytest.fixture(scope="session")
def built_site(served_site: tuple[BuiltSite, str]) -> BuiltSite:
    return served_site[0]


@pytest.fixture(scope="session")
def site_url(served_site: tuple[BuiltSite, str]) -> str:
    return served_site[1]


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
