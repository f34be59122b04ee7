"""The built site in Debian's Chromium, served on 127.0.0.1: what a reader gets, page by page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page

from page_visits import FORMULAS_JS, TYPESETTING_DONE_JS, WAIT_MS, Visit, guarded_context
from served_site import BuiltSite, NavPage, count_formulas

SEARCHED = "418,176,000"  # computed by reckon on the Q4 page
SEARCH_PAGE = "q4-kernel.md"


def report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}:\n    " + "\n    ".join(found) for page, found in problems.items() if found)


def test_the_site_builds_without_a_warning(built_site: BuiltSite) -> None:
    warnings = [line for line in built_site.log.splitlines() if line.startswith("WARNING")]
    assert warnings == [], "`mkdocs build --strict` would fail:\n" + "\n".join(warnings)


def test_every_page_loads_with_no_console_error_and_no_failed_request(visits: list[Visit]) -> None:
    problems = {v.page.src: v.traffic.errors + v.traffic.failed + v.timeouts for v in visits}
    assert not any(problems.values()), report(problems)
    assert all(v.traffic.local for v in visits)  # the guard saw each page's requests


def test_no_page_asks_any_origin_but_127_0_0_1(visits: list[Visit]) -> None:
    assert {v.page.src: v.traffic.foreign for v in visits if v.traffic.foreign} == {}


def test_the_guard_stops_and_records_a_request_to_another_origin(browser: Browser, site_url: str) -> None:
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        page.goto(site_url)
        outcome = page.evaluate("() => fetch('https://example.org/x.js').then(() => 'fetched', () => 'refused')")
    assert outcome == "refused"
    assert traffic.foreign == ["https://example.org/x.js"]


def test_every_formula_is_typeset_by_katex_with_its_fonts(built_site: BuiltSite, visits: list[Visit]) -> None:
    problems: dict[str, list[str]] = {}
    for v in visits:
        written = count_formulas(built_site.html(v.page))
        found = problems.setdefault(v.page.src, [])
        if len(v.formulas) != written:
            found.append(f"{written} formulas in the HTML, {len(v.formulas)} in the page")
        found += [f"not typeset: {f['tex']}" for f in v.formulas if not f["typeset"]]
        if written and "KaTeX_Main" not in v.katex_fonts:
            found.append(f"KaTeX's main font did not load (loaded: {v.katex_fonts})")
    assert not any(problems.values()), report(problems)
    assert sum(len(v.formulas) for v in visits) > 0, "no page has a formula: this test would prove nothing"


def test_every_figure_loads_and_follows_the_palette(visits: list[Visit]) -> None:
    problems: dict[str, list[str]] = {}
    for v in visits:
        found = problems.setdefault(v.page.src, [])
        for view, palette in ((v.light, "light"), (v.dark, "dark")):
            if view.scheme != ("default" if palette == "light" else "slate"):
                found.append(f"the {palette} palette shows scheme {view.scheme!r}")
            found += [f"{image.src} did not load" for image in view.images if image.width == 0]
            found += [
                f"in the {palette} palette {image.src} is {'shown' if image.shown else 'hidden'}"
                for image in view.images
                if image.palette and image.shown != (image.palette == palette)
            ]
        figures = [image for image in v.light.images if image.palette]
        if sum(image.palette == "light" for image in figures) != sum(image.palette == "dark" for image in figures):
            found.append("not every figure has both a light and a dark variant")
    assert not any(problems.values()), report(problems)
    assert any(image.palette for v in visits for image in v.light.images), "no page has a figure: this test would prove nothing"


def test_a_screenshot_of_every_page_in_both_palettes(visits: list[Visit]) -> None:
    for v in visits:
        light, dark = v.light.screenshot.read_bytes(), v.dark.screenshot.read_bytes()
        assert light.startswith(b"\x89PNG") and dark.startswith(b"\x89PNG")
        assert light != dark, f"{v.page.src} looks the same in both palettes"


def test_search_for_a_computed_number_finds_the_q4_page(browser: Browser, built_site: BuiltSite, site_url: str) -> None:
    target = next(page for page in built_site.pages if page.src == SEARCH_PAGE)
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        page.goto(site_url)
        page.locator("input.md-search__input").fill(SEARCHED)
        results = page.locator("a.md-search-result__link")
        results.first.wait_for(timeout=WAIT_MS)
        links = [urlsplit(href) for href in results.evaluate_all("links => links.map(link => link.href)")]
        # A result for a section of the page (the first result of a page is the page as a whole).
        sections = [index for index, link in enumerate(links) if link.path == urlsplit(site_url).path + target.path and link.fragment]
        assert sections, f"searching {SEARCHED} found {[link.geturl() for link in links]}, no section of {target.src}"
        results.nth(sections[0]).click()
        page.wait_for_url(re.compile(re.escape(target.path)), timeout=WAIT_MS)
        page.locator("article mark:visible", has_text=SEARCHED).first.wait_for(timeout=WAIT_MS)  # highlighted where it is
    assert traffic.errors == [] and traffic.foreign == []


def navigate_instantly(page: Page, site_url: str, target: NavPage) -> bool:
    """From the home page to ``target`` by its navigation link; whether Material brought it without a reload."""
    page.goto(site_url, wait_until="networkidle")  # instant navigation starts once it has the sitemap
    page.evaluate("() => { window.notReloaded = true; }")
    page.locator(f"nav.md-nav--primary a.md-nav__link[href$='{target.path}']").first.click()
    page.wait_for_url(re.compile(re.escape(target.path) + "$"), timeout=WAIT_MS)
    return bool(page.evaluate("() => window.notReloaded === true"))


def test_instant_navigation_typesets_the_page_it_brings(browser: Browser, built_site: BuiltSite, site_url: str) -> None:
    target = max(built_site.pages[1:], key=lambda page: count_formulas(built_site.html(page)))
    written = count_formulas(built_site.html(target))
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        instant = navigate_instantly(page, site_url, target)
        page.wait_for_function(TYPESETTING_DONE_JS, timeout=WAIT_MS)
        formulas = page.evaluate(FORMULAS_JS)
    assert instant, "the click reloaded the page: Material's instant navigation is off, so document$ is untested"
    assert written > 0 and len(formulas) == written and all(f["typeset"] for f in formulas), formulas
    assert traffic.errors == [] and traffic.foreign == []


def test_the_figures_of_a_page_that_instant_navigation_brings_open_from_the_keyboard_too(
    browser: Browser, built_site: BuiltSite, site_url: str
) -> None:
    target = next(page for page in built_site.pages[1:] if "reckon-figure" in built_site.html(page))
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        instant = navigate_instantly(page, site_url, target)
        figure = page.locator("article img.reckon-figure:visible").first
        figure.wait_for(timeout=WAIT_MS)
        page.wait_for_function("() => [...document.querySelectorAll('article img.reckon-figure')].every(i => i.tabIndex === 0)")
        figure.focus()
        page.keyboard.press("Enter")
        page.locator("dialog.reckon-lightbox[open]").wait_for(timeout=WAIT_MS)
    assert instant, "the click reloaded the page: the figures it brought were not tested"
    assert traffic.errors == [] and traffic.foreign == []


FIGURE_FILE = re.compile(r"/assets/reckon/[0-9a-f]{20}\.svg$")
SHOWN_FIGURES_JS = """() => [...document.querySelectorAll("article img.reckon-figure")]
  .filter(image => getComputedStyle(image).display !== "none").map(image => image.getAttribute("src"))"""


def test_each_figure_is_fetched_once_for_both_palettes(visits: list[Visit]) -> None:
    problems: dict[str, list[str]] = {}
    for v in visits:
        files = {image.src.split("#")[0].rsplit("/", 1)[1] for image in v.light.images if image.palette}
        requested = [urlsplit(url).path.rsplit("/", 1)[1] for url in v.traffic.local if FIGURE_FILE.search(urlsplit(url).path)]
        shown = [image for image in v.light.images if image.palette and image.shown]
        found = problems.setdefault(v.page.src, [])
        if sorted(requested) != sorted(files):
            found.append(f"{len(files)} figures, {len(requested)} figure requests in both palettes: {sorted(requested)}")
        if len(shown) != len(files):
            found.append(f"{len(files)} figures, {len(shown)} shown in the light palette")
    assert not any(problems.values()), report(problems)
    assert any(v.light.images for v in visits), "no page has a figure: this test would prove nothing"


def test_printing_a_dark_page_prints_each_figure_once_in_the_light_palette(browser: Browser, built_site: BuiltSite, site_url: str) -> None:
    problems: dict[str, list[str]] = {}
    marked: list[int] = []  # folded source blocks reckon.js noted before printing, page by page
    pages = [page for page in built_site.pages if "reckon-figure" in built_site.html(page)]
    for nav_page in pages:
        with guarded_context(browser, color_scheme="dark") as (context, traffic):
            page = context.new_page()
            page.goto(site_url + nav_page.path, wait_until="load")
            assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
            on_screen = page.evaluate(SHOWN_FIGURES_JS)
            page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
            page.emulate_media(media="print")
            printed = page.evaluate(SHOWN_FIGURES_JS)
            # Source folded on screen stays out of print; source the author showed open (`code-fold: show`) is printed.
            folded = page.evaluate(
                "() => [...document.querySelectorAll('details.reckon-source[data-reckon-folded]')].filter(d => d.checkVisibility()).length"
            )
            marked.append(page.evaluate("() => document.querySelectorAll('details.reckon-source[data-reckon-folded]').length"))
        found = problems.setdefault(nav_page.src, [])
        if not on_screen or any(not src.endswith("#only-dark") for src in on_screen):
            found.append(f"on screen in the dark palette: {on_screen}")
        if len(printed) != len(on_screen) or any(not src.endswith("#only-light") for src in printed):
            found.append(f"printed {printed}, for {len(on_screen)} figures")
        if folded:
            found.append(f"{folded} folded source blocks are printed")
        found += traffic.errors + traffic.foreign
    assert pages, "no page has a figure: this test would prove nothing"
    assert sum(marked) > 0, "no folded source was seen before printing: this test would prove nothing"
    assert not any(problems.values()), report(problems)


def test_a_tap_on_a_figure_on_a_phone_opens_it_full_width(browser: Browser, built_site: BuiltSite, site_url: str) -> None:
    target = next(page for page in built_site.pages if "reckon-figure" in built_site.html(page))
    with guarded_context(browser, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True) as (context, traffic):
        page = context.new_page()
        page.goto(site_url + target.path, wait_until="load")
        figure = page.locator("article img.reckon-figure:visible").first
        figure.scroll_into_view_if_needed()
        figure.tap()
        image = page.locator("dialog.reckon-lightbox[open] img")
        image.wait_for(timeout=WAIT_MS)
        width = image.evaluate("image => image.getBoundingClientRect().width")
        viewport = page.evaluate("() => document.documentElement.clientWidth")
        page.keyboard.press("Escape")
        page.locator("dialog.reckon-lightbox").wait_for(state="detached", timeout=WAIT_MS)
    assert width >= viewport - 1, (width, viewport)
    assert traffic.errors == []
    assert traffic.foreign == []


FOCUSED_JS = """() => {
    const element = document.activeElement;
    return element ? {tag: element.tagName, figure: element.classList.contains("reckon-figure"), inDialog: !!element.closest("dialog"),
                      role: element.getAttribute("role"), name: element.getAttribute("aria-label") || element.getAttribute("alt")} : null;
}"""


def test_a_keyboard_reaches_a_figure_opens_zooms_and_closes_it_and_gets_the_focus_back(
    browser: Browser, built_site: BuiltSite, site_url: str
) -> None:
    target = next(page for page in built_site.pages if "reckon-figure" in built_site.html(page))
    with guarded_context(browser, viewport={"width": 1280, "height": 900}) as (context, traffic):
        page = context.new_page()
        page.goto(site_url + target.path, wait_until="load")
        reached = None
        for _ in range(400):  # Tab through the page (navigation, search, links) until a figure has the focus
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED_JS)
            if focused and focused["figure"]:
                reached = focused
                break
        assert reached is not None, "Tab never reached a figure"
        assert reached["role"] == "button" and reached["name"], reached
        page.keyboard.press("Enter")
        page.locator("dialog.reckon-lightbox[open]").wait_for(timeout=WAIT_MS)
        page.keyboard.press("Tab")  # from the close button to the figure in the dialog
        in_dialog = page.evaluate(FOCUSED_JS)
        page.keyboard.press(" ")
        zoomed = page.locator("dialog.reckon-lightbox img").evaluate(
            "image => [image.classList.contains('reckon-zoomed'), image.getAttribute('aria-pressed')]"
        )
        page.keyboard.press("Escape")
        page.locator("dialog.reckon-lightbox").wait_for(state="detached", timeout=WAIT_MS)
        back = page.evaluate(FOCUSED_JS)
    assert in_dialog["inDialog"] and in_dialog["tag"] == "IMG", in_dialog
    assert zoomed == [True, "true"]
    assert back == reached
    assert traffic.errors == []


def test_every_label_of_the_sites_figures_is_legible_on_a_phone(browser: Browser, built_site: BuiltSite, site_url: str) -> None:
    """At 390 px, each figure's smallest text is at least 9 CSS px tall (the figure scrolls sideways if it must)."""
    smallest: dict[str, float] = {}
    scrollers: list[dict[str, Any]] = []
    for nav_page in [page for page in built_site.pages if "reckon-figure" in built_site.html(page)]:
        with guarded_context(browser, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True) as (context, _traffic):
            page = context.new_page()
            page.goto(site_url + nav_page.path, wait_until="load")
            page.wait_for_timeout(300)  # site.js marks scrolling regions after layout
            shown = page.evaluate(
                "() => [...document.querySelectorAll('article img.reckon-figure')].filter(i => i.checkVisibility())"
                ".map(i => ({src: i.getAttribute('src'), width: i.getBoundingClientRect().width}))"
            )
            scrollers += page.evaluate(
                "() => [...document.querySelectorAll('article p:has(> img.reckon-figure)')].filter(p => p.scrollWidth > p.clientWidth + 1)"
                ".map(p => ({tabindex: p.getAttribute('tabindex'), label: p.getAttribute('aria-label')}))"
            )
        for figure in shown:
            name = figure["src"].split("#")[0].rsplit("/", 1)[-1]  # every figure is written to assets/reckon/
            svg = (built_site.folder / "assets" / "reckon" / name).read_text(encoding="utf-8")
            view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg)[1])  # type: ignore[index]
            # Text drawn as paths: `scale(s -s)` on a text group is its font size in points / 100, in viewBox units.
            sizes = [float(scale) * 100 for scale in re.findall(r"scale\(([\d.]+) -[\d.]+\)", svg)]
            if sizes:
                smallest[f"{nav_page.src} {figure['src']}"] = round(min(sizes) * figure["width"] / view_width, 1)
    assert smallest, "no figure with text was measured: this test would prove nothing"
    assert {name: size for name, size in smallest.items() if size < 9} == {}
    label = re.compile(r"Wide figure( \d+ of \d+)?, scrolls sideways")
    assert all(region["tabindex"] == "0" and label.fullmatch(region["label"] or "") for region in scrollers), scrollers
