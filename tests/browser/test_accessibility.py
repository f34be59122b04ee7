"""axe-core in every page, on a desktop and on a 390 px phone, in both palettes, and in an open figure; phone screenshots.

axe-core (pinned, from the npm registry) is injected into each page once KaTeX, the images, the
fonts and the site's script are done, and its serious and critical findings fail the test. The
phone views are saved beside the desktop screenshots that test_site.py's visits take.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from page_visits import IMAGES_DONE_JS, SCHEME_JS, TYPESETTING_DONE_JS, WAIT_MS, Traffic, Visit, guarded_context
from served_site import ROOT, BuiltSite, NavPage

DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
DEVICES = {"desktop": DESKTOP, "phone": PHONE}
PALETTES = {"light": "default", "dark": "slate"}
BLOCKING = ("serious", "critical")
SCREENSHOTS = ROOT / "test-results" / "screenshots"  # as conftest.py's visits write them

# Every violation with its impact and the first few elements it names.
AXE_JS = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""
# After the site script's pass (it runs on a frame after document$ and after the fonts load).
SETTLED_JS = """() => new Promise(done => document.fonts.ready.then(() =>
  requestAnimationFrame(() => setTimeout(() => requestAnimationFrame(() => setTimeout(done, 0)), 0))))"""
# Each element of the article that scrolls sideways: its focus, its label, and whether a shadow
# painted on its background shows at its right edge (a gradient, with nothing opaque in front of it
# there: a table's own background once hid it).
SCROLLERS_JS = """() => [...document.querySelectorAll("article *")].filter(e => {
  const style = getComputedStyle(e);
  return /auto|scroll/.test(style.overflowX) && e.scrollWidth > e.clientWidth + 1 && e.checkVisibility();  // not in a folded block
}).map(e => {
  e.scrollIntoView({block: "center"});
  const box = e.getBoundingClientRect();
  const inFront = document.elementsFromPoint(box.right - 3, box.top + box.height / 2);
  const covers = inFront.slice(0, Math.max(inFront.indexOf(e), 0)).filter(c => {
    const color = getComputedStyle(c).backgroundColor;
    return !(color === "transparent" || /rgba\\(.*, 0\\)$/.test(color));
  });
  return {
    tag: e.tagName, cls: String(e.className), tabindex: e.getAttribute("tabindex"), label: e.getAttribute("aria-label"),
    shadow: getComputedStyle(e).backgroundImage.includes("gradient") && inFront.includes(e) && covers.length === 0,
  };
})"""


@dataclass(frozen=True)
class Audit:
    """One page on one device in one palette: what axe found, what scrolls, what went wrong."""

    page: NavPage
    device: str
    palette: str
    scheme: str | None
    violations: list[dict[str, Any]]
    scrollers: list[dict[str, Any]]
    traffic: Traffic

    @property
    def where(self) -> str:
        return f"{self.page.src} ({self.device}, {self.palette})"


def settle(page: Page) -> None:
    page.wait_for_function(TYPESETTING_DONE_JS, timeout=WAIT_MS)
    page.wait_for_function(IMAGES_DONE_JS, timeout=WAIT_MS)
    page.evaluate(SETTLED_JS)


def audit(browser: Browser, url: str, page_info: NavPage, *, device: str, palette: str, axe_script: str) -> Audit:
    with guarded_context(browser, color_scheme=palette) as (context, traffic):
        page = context.new_page()
        page.set_viewport_size(DEVICES[device])
        page.goto(url, wait_until="load")
        settle(page)
        scheme = page.evaluate(SCHEME_JS)
        if device == "phone":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"{page_info.slug}-phone-{palette}.png", full_page=True, animations="disabled")
        scrollers = page.evaluate(SCROLLERS_JS)  # it scrolls the page
        page.add_script_tag(content=axe_script)
        violations = page.evaluate(AXE_JS)
    return Audit(page_info, device, palette, scheme, violations, scrollers, traffic)


@pytest.fixture(scope="session")
def audits(built_site: BuiltSite, site_url: str, browser: Browser, axe_script: str, visits: list[Visit]) -> list[Audit]:
    """Every page, on each device, in each palette (after ``visits``, which clears the screenshots)."""
    return [
        audit(browser, site_url + page.path, page, device=device, palette=palette, axe_script=axe_script)
        for page in built_site.pages
        for device in DEVICES
        for palette in PALETTES
    ]


@pytest.fixture
def axe_page(browser: Browser, axe_script: str) -> Iterator[Page]:
    with guarded_context(browser) as (context, _):
        page = context.new_page()
        yield page


def test_axe_finds_no_serious_or_critical_violation_on_any_page(audits: list[Audit]) -> None:
    problems = [
        f"{a.where}: {v['impact']} {v['id']} ({v['help']}): {', '.join(v['nodes'])}"
        for a in audits
        for v in a.violations
        if v["impact"] in BLOCKING
    ]
    assert problems == [], "\n".join(problems)
    assert len(audits) == 4 * len({a.page for a in audits}) > 0


def test_each_audit_saw_the_palette_it_asked_for_and_no_error(audits: list[Audit]) -> None:
    assert [a.where for a in audits if a.scheme != PALETTES[a.palette]] == []
    assert {
        a.where: a.traffic.errors + a.traffic.failed + a.traffic.foreign
        for a in audits
        if a.traffic.errors or a.traffic.failed or a.traffic.foreign
    } == {}


def test_axe_reports_what_it_should_on_a_page_made_to_fail(axe_page: Page, axe_script: str) -> None:
    axe_page.set_content(
        '<html><body><main><img src="data:,"><a href="#"></a><p style="color:#aaa;background:#fff">faint</p></main></body></html>'
    )
    axe_page.add_script_tag(content=axe_script)
    found = {v["id"]: v["impact"] for v in axe_page.evaluate(AXE_JS)}
    assert found.get("image-alt") == "critical"
    assert found.get("link-name") == "serious"
    assert found.get("color-contrast") == "serious"


def test_wide_tables_and_equations_on_a_phone_take_focus_have_a_label_and_show_they_scroll(audits: list[Audit]) -> None:
    phone = [a for a in audits if a.device == "phone"]
    problems = [
        f"{a.where}: <{s['tag']} class={s['cls']!r}> tabindex={s['tabindex']} label={s['label']!r} shadow={s['shadow']}"
        for a in phone
        for s in a.scrollers
        # Material makes a wide code block focusable itself; its text is its name.
        if s["tabindex"] != "0" or (not s["label"] and s["tag"] != "CODE") or not s["shadow"]
    ]
    assert problems == [], "\n".join(problems)
    q4 = [a for a in phone if a.page.src == "q4-kernel.md"]
    assert q4, "no audit of the Q4 page"
    assert any("table" in (s["label"] or "").lower() for a in q4 for s in a.scrollers), (
        "Q4's wide table does not scroll on a phone: this test would prove nothing"
    )


def test_no_two_regions_that_scroll_sideways_on_a_page_have_the_same_name(audits: list[Audit]) -> None:
    """They are landmarks, listed by name: two alike could not be told apart (axe's landmark-unique)."""
    repeated = {}
    for a in audits:
        labels = [s["label"] for s in a.scrollers if s["label"]]
        if len(labels) != len(set(labels)):
            repeated[a.where] = labels
    assert repeated == {}
    numbered = [s["label"] for a in audits for s in a.scrollers if re.search(r" 2 of \d+, scrolls sideways$", s["label"] or "")]
    assert numbered, "no page has two wide regions of a kind on any device: this test would prove nothing"


def test_a_screenshot_of_every_page_on_a_phone_in_both_palettes(audits: list[Audit]) -> None:
    for page in {a.page for a in audits}:
        light = (SCREENSHOTS / f"{page.slug}-phone-light.png").read_bytes()
        dark = (SCREENSHOTS / f"{page.slug}-phone-dark.png").read_bytes()
        assert light.startswith(b"\x89PNG")
        assert dark.startswith(b"\x89PNG")
        assert light != dark, f"{page.src} looks the same in both palettes on a phone"


@pytest.mark.parametrize("palette", list(PALETTES))
def test_axe_finds_no_serious_or_critical_violation_in_an_open_figure_zoomed_or_not(
    browser: Browser, built_site: BuiltSite, site_url: str, axe_script: str, palette: str
) -> None:
    target = next(page for page in built_site.pages if "reckon-figure" in built_site.html(page))
    found: dict[str, list[dict[str, Any]]] = {}
    with guarded_context(browser, color_scheme=palette) as (context, traffic):
        page = context.new_page()
        page.set_viewport_size(DESKTOP)
        page.goto(site_url + target.path, wait_until="load")
        settle(page)
        page.add_script_tag(content=axe_script)
        page.locator("article img.reckon-figure:visible").first.focus()
        page.keyboard.press("Enter")
        page.locator("dialog.reckon-lightbox[open] img").wait_for(timeout=WAIT_MS)
        page.evaluate(SETTLED_JS)
        found["open"] = page.evaluate(AXE_JS)
        page.locator("dialog.reckon-lightbox img").press("Enter")
        page.locator("dialog.reckon-lightbox img.reckon-zoomed").wait_for(timeout=WAIT_MS)
        found["zoomed"] = page.evaluate(AXE_JS)
    blocking = {state: [v for v in violations if v["impact"] in BLOCKING] for state, violations in found.items()}
    assert blocking == {"open": [], "zoomed": []}
    assert traffic.errors == []
