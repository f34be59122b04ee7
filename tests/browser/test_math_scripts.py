"""KaTeX is fetched by the pages with math only, and still typesets a page that instant navigation brings."""

from __future__ import annotations

import re

from playwright.sync_api import Browser

from page_visits import FORMULAS_JS, WAIT_MS, guarded_context
from served_site import BuiltSite, NavPage, count_formulas

KATEX_ASSETS = "/assets/katex/"


def without_math(site: BuiltSite) -> NavPage:
    pages = [page for page in site.pages if count_formulas(site.html(page)) == 0]
    assert pages, "every page has math: the tests of pages without it would prove nothing"
    return next((page for page in pages if page.src == "performance.md"), pages[0])


def test_a_page_without_math_asks_for_no_katex_file(browser: Browser, built_site: BuiltSite, site_url: str) -> None:
    plain = without_math(built_site)
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        page.goto(site_url + plain.path, wait_until="networkidle")
    assert traffic.local, "the guard saw no request"
    assert [url for url in traffic.local if KATEX_ASSETS in url] == []
    assert traffic.errors == []


def test_a_page_with_math_asks_for_katex(browser: Browser, built_site: BuiltSite, site_url: str) -> None:
    math = max(built_site.pages, key=lambda page: count_formulas(built_site.html(page)))
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        page.goto(site_url + math.path, wait_until="networkidle")
    asked = {url.rsplit("/", 1)[-1] for url in traffic.local if KATEX_ASSETS in url}
    assert {"katex.min.css", "katex.min.js", "typeset.js"} <= asked


def test_instant_navigation_from_a_page_without_math_typesets_the_page_it_brings(
    browser: Browser, built_site: BuiltSite, site_url: str
) -> None:
    plain = without_math(built_site)
    target = max(built_site.pages, key=lambda page: count_formulas(built_site.html(page)))
    written = count_formulas(built_site.html(target))
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        page.goto(site_url + plain.path, wait_until="networkidle")  # instant navigation starts once it has the sitemap
        page.evaluate("() => { window.notReloaded = true; }")
        page.locator(f"nav.md-nav--primary a.md-nav__link[href$='{target.path or './'}']").first.click()
        page.wait_for_url(re.compile(re.escape(site_url + target.path) + "$"), timeout=WAIT_MS)
        # Until the new page's content is in, the old page (without math) passes any "every formula" check:
        # wait for the brought page's formulas, each rendered by KaTeX (which the loader fetches only now).
        page.wait_for_function(
            "count => { const found = [...document.querySelectorAll('.arithmatex')];"
            " return found.length === count && found.every(e => e.querySelector('.katex')); }",
            arg=written,
            timeout=WAIT_MS,
        )
        formulas = page.evaluate(FORMULAS_JS)
        instant = page.evaluate("() => window.notReloaded === true")
        fonts = page.evaluate(
            "() => document.fonts.ready.then(() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family))"
        )
    assert instant, "the click reloaded the page: Material's instant navigation is off, so the loader is untested"
    assert written > 0
    assert len(formulas) == written
    assert all(f["typeset"] for f in formulas), formulas
    assert any("KaTeX" in family for family in fonts), fonts  # the stylesheet came too
    assert traffic.errors == []
    assert traffic.foreign == []
