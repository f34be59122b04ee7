"""The site's own address and repository come from where it is built: real ones from the Pages
workflow's variables, and none at all (no placeholder) from a build without them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from served_site import PUBLISHED, BuiltSite, build_site

PLACEHOLDERS = re.compile(r"example\.github\.io|github\.com/example|example/reckon|\.invalid\b")
EDIT_BUTTON = re.compile(r'<a href="([^"]+)"[^>]*class="md-content__button md-icon"')
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')
SOURCE = re.compile(r'<a href="([^"]+)" title="[^"]*" class="md-source"')


def built(tmp_path_factory: pytest.TempPathFactory, published: dict[str, str] | None) -> BuiltSite:
    site = build_site(tmp_path_factory.mktemp("site") / "site", published=published)
    assert site.code == 0, site.log[-4000:]
    return site


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site as `mkdocs build` makes it on a developer's machine: no SITE_URL, REPO_URL, REPO_NAME or EDIT_URI."""
    return built(tmp_path_factory, None)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site as the Pages workflow builds it."""
    return built(tmp_path_factory, PUBLISHED)


def texts(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in site.rglob("*")
        if path.suffix in (".html", ".xml", ".json", ".js")
    }


def test_a_build_without_the_workflows_variables_links_to_no_repository_and_no_address(local: BuiltSite) -> None:
    files = texts(local.folder)
    assert {name: PLACEHOLDERS.findall(text)[:3] for name, text in files.items() if PLACEHOLDERS.search(text)} == {}
    pages = {page.src: local.html(page) for page in local.pages}
    assert all(pages.values()), "a nav page was not built"
    assert {src: CANONICAL.findall(html) for src, html in pages.items() if CANONICAL.search(html)} == {}
    assert {src: EDIT_BUTTON.findall(html) for src, html in pages.items() if EDIT_BUTTON.search(html)} == {}
    assert {src: SOURCE.findall(html) for src, html in pages.items() if SOURCE.search(html)} == {}
    assert "WARNING" not in local.log


def test_the_workflows_variables_give_every_page_its_address_repository_and_edit_link(published: BuiltSite) -> None:
    site_url, repo_url = PUBLISHED["SITE_URL"], PUBLISHED["REPO_URL"]
    for page in published.pages:
        html = published.html(page)
        assert CANONICAL.findall(html) == [site_url + page.path], page.src
        assert set(SOURCE.findall(html)) == {repo_url}, page.src
        assert EDIT_BUTTON.findall(html) == [f"{repo_url}/edit/main/docs/{page.src}"], page.src
        assert PUBLISHED["REPO_NAME"] in html
    sitemap = (published.folder / "sitemap.xml").read_text(encoding="utf-8")
    assert sorted(re.findall(r"<loc>([^<]+)</loc>", sitemap)) == sorted(site_url + page.path for page in published.pages)
    assert "WARNING" not in published.log
