"""reckon's output on MkDocs' own themes and on Material, in Chromium: each figure once, in the palette shown.

One small site per theme (a captioned figure, a figure without caption, a matrix, a table, shown and
folded source, and a block that fails), built with the real ``mkdocs build`` and served on 127.0.0.1.
Pages are read on a desktop and at 390 px, with the system in the light and the dark scheme, on
screen and in print; screenshots go to ``test-results/screenshots/themes/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page

from fixture_sites import FixtureSite
from page_visits import TYPESETTING_DONE_JS, WAIT_MS, Traffic, guarded_context
from served_site import ROOT, BuiltSite, serve

SCREENSHOTS = ROOT / "test-results" / "screenshots" / "themes"
PHONE = {"width": 390, "height": 844}
FIGURE_REQUEST = re.compile(r"/assets/reckon/[0-9a-f]{20}\.svg$")

PAGE = """\
# Figures on any theme

A figure, labelled and captioned (@fig-wave):

```{python}
#| echo: fold
#| label: fig-wave
#| fig-cap: "A wave and its square"
#| fig-alt: "A sine wave and its square over one period"
import numpy as np
import matplotlib.pyplot as plt
from reckon import theme
x = np.linspace(0, 2 * np.pi, 200)
fig, ax = plt.subplots()
ax.plot(x, np.sin(x), label="sin x")
ax.plot(x, np.sin(x) ** 2, label="sin² x")
ax.axhline(0, color=theme.muted, linestyle="--")
ax.set_title("One period")
ax.set_xlabel("x (radians)")
ax.set_ylabel("value")
ax.legend()
ax.grid(True)
```

A matrix, with its code shown:

```{python}
np.array([[1, 2, 3], [4, 5, 6], [7, 8, 10]])
```

A table:

```{python}
#| echo: false
from reckon import Table
Table([("conv", 96096, "yes"), ("pool", 0, "no")], headers=["layer", "parameters", "learns"])
```

A second figure, without a caption:

```{python}
#| echo: false
#| fig-alt: "Bars of three heights"
fig, ax = plt.subplots(figsize=(4, 2.5))
ax.bar(["a", "b", "c"], [3, 1, 2], color=["C0", "C1", "C2"], edgecolor=theme.ink)
```

An error:

```{python}
#| echo: false
1 / 0
```
"""
FAILURE = "docs/index.md:52:1: ZeroDivisionError: division by zero"  # as logged; the box at the block says docs/index.md:52
FIGURES = 2  # on the page above

CONFIG = """\
site_name: Any theme
theme:
%(theme)s
markdown_extensions:
  - pymdownx.arithmatex: {generic: true}
  - pymdownx.highlight
plugins:
  - search
  - offline-katex
  - reckon
"""
THEMES = {
    # MkDocs' own theme has a dark mode (`auto`: the system's). Both MkDocs themes fetch highlight.js from cdnjs.
    "mkdocs": "  name: mkdocs\n  color_mode: auto\n  user_color_mode_toggle: true",
    "readthedocs": "  name: readthedocs",
    "material": """\
  name: material
  font: false
  features: [content.code.copy]
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/weather-sunny, name: Switch to light mode}""",
}
HAS_DARK = {"mkdocs": True, "readthedocs": False, "material": True}
# What the theme itself asks of other origins (the guard refuses it) and the errors that follow.
HIGHLIGHT_JS = (
    re.compile(r"^https://cdnjs\.cloudflare\.com/ajax/libs/highlight\.js/"),
    re.compile(r"hljs is not defined|ERR_BLOCKED_BY_CLIENT"),
)
THEIR_OWN = {"mkdocs": HIGHLIGHT_JS, "readthedocs": HIGHLIGHT_JS}
COPY_BUTTONS = ".md-clipboard, .md-code__button"  # Material's, before 9.7 and since
NAVIGATION = {"mkdocs": ".navbar", "readthedocs": ".wy-nav-side", "material": ".md-sidebar--primary"}

# Each reckon figure the reader can see, as the page lays it out.
SHOWN_JS = """() => [...document.querySelectorAll("img.reckon-figure")].filter(image => image.checkVisibility()).map(image => ({
  src: image.getAttribute("src"), loaded: image.complete && image.naturalWidth > 0, width: image.getBoundingClientRect().width,
}))"""


@dataclass(frozen=True)
class ThemeSite:
    theme: str
    built: BuiltSite
    url: str


@pytest.fixture(scope="module", params=list(THEMES))
def theme_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThemeSite]:
    theme = request.param
    fixture = FixtureSite(tmp_path_factory.mktemp(theme))
    fixture.write("mkdocs.yml", CONFIG % {"theme": THEMES[theme]}, dedent=False)
    fixture.write("docs/index.md", PAGE, dedent=False)
    outcome = fixture.build()
    # The failing block is on purpose: the build reports it, fails, and has written the page with it.
    assert outcome.code == 1, outcome.log[-4000:]
    assert FAILURE in outcome.log, outcome.log[-4000:]
    assert (outcome.site / "index.html").exists()
    built = BuiltSite(outcome.site, outcome.code, outcome.log, "http://127.0.0.1/", ())
    with serve(built) as url:
        yield ThemeSite(theme, built, url)


def expected_palette(theme: str, scheme: str) -> str:
    return "dark" if scheme == "dark" and HAS_DARK[theme] else "light"


def load(page: Page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function(TYPESETTING_DONE_JS, timeout=WAIT_MS)
    page.wait_for_function("() => [...document.images].every(image => image.complete)", timeout=WAIT_MS)


def figure_requests(traffic: Traffic) -> list[str]:
    return [url for url in traffic.local if FIGURE_REQUEST.search(url.split("#")[0])]


def problems(theme: str, traffic: Traffic) -> list[str]:
    """Console errors, failed and foreign requests, but for what the theme itself is known to do."""
    allowed_url, allowed_error = THEIR_OWN.get(theme, (None, None))
    foreign = [url for url in traffic.foreign if allowed_url is None or not allowed_url.search(url)]
    errors = [error for error in traffic.errors + traffic.failed if allowed_error is None or not allowed_error.search(error)]
    return foreign + errors


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_figure_shows_once_in_the_palette_the_theme_shows_and_is_fetched_once(
    browser: Browser, theme_site: ThemeSite, scheme: str, viewport: str
) -> None:
    options = {"viewport": PHONE} if viewport == "phone" else {}
    with guarded_context(browser, color_scheme=scheme, **options) as (context, traffic):
        page = context.new_page()
        load(page, theme_site.url)
        shown = page.evaluate(SHOWN_JS)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{theme_site.theme}-{viewport}-{scheme}.png", full_page=True, animations="disabled")
    palette = expected_palette(theme_site.theme, scheme)
    assert [figure["src"].rsplit("#", 1)[1] for figure in shown] == [f"only-{palette}"] * FIGURES, shown
    assert all(figure["loaded"] for figure in shown), shown
    # One download per figure shown: the hidden palette's copy is the same file.
    requested = figure_requests(traffic)
    assert len(requested) == len(set(requested)) == FIGURES, requested
    assert problems(theme_site.theme, traffic) == []


@pytest.mark.parametrize("theme_site", ["material"], indirect=True)  # the palette toggle is Material's
def test_material_switches_palette_without_fetching_a_figure(browser: Browser, theme_site: ThemeSite) -> None:
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        load(page, theme_site.url)
        before = page.evaluate(SHOWN_JS)
        fetched = len(figure_requests(traffic))
        page.locator("form[data-md-component=palette] label:not([hidden])").click(timeout=WAIT_MS)
        page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'", timeout=WAIT_MS)
        after = page.evaluate(SHOWN_JS)
    assert [figure["src"].rsplit("#", 1)[1] for figure in before] == ["only-light"] * FIGURES
    assert [figure["src"].rsplit("#", 1)[1] for figure in after] == ["only-dark"] * FIGURES
    assert all(figure["loaded"] for figure in after)  # already decoded: the switch shows them at once
    assert fetched == FIGURES
    assert len(figure_requests(traffic)) == FIGURES


def test_print_of_a_dark_page_shows_each_figure_once_light_without_navigation_or_folded_source(
    browser: Browser, theme_site: ThemeSite
) -> None:
    with guarded_context(browser, color_scheme="dark") as (context, traffic):
        page = context.new_page()
        load(page, theme_site.url)
        # What the browser does on printing: beforeprint (Material opens every <details> then), print media.
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        shown = page.evaluate(SHOWN_JS)
        source_shown = page.evaluate(
            "() => [...document.querySelectorAll('details.reckon-source')].map(details => details.checkVisibility())"
        )
        navigation = page.evaluate(
            f"() => [...document.querySelectorAll({NAVIGATION[theme_site.theme]!r})].some(element => element.checkVisibility())"
        )
        copy_buttons = page.evaluate(
            f"() => [...document.querySelectorAll({COPY_BUTTONS!r})].filter(button => button.checkVisibility()).length"
        )
        copy_buttons_on_screen = page.evaluate(f"() => document.querySelectorAll({COPY_BUTTONS!r}).length")
        scheme_in_print = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        page.screenshot(path=SCREENSHOTS / f"{theme_site.theme}-print-from-dark.png", full_page=True, animations="disabled")
        page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        page.emulate_media(media="screen")
        scheme_after = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        folded_after = page.evaluate(
            "() => [...document.querySelectorAll('details.reckon-source')]"
            ".map(details => details.open || details.hasAttribute('data-reckon-folded'))"
        )
    assert [figure["src"].rsplit("#", 1)[1] for figure in shown] == ["only-light"] * FIGURES, shown
    assert source_shown == [False], "the folded source is printed"
    assert navigation is False, "the navigation is printed"
    assert copy_buttons == 0
    if theme_site.theme == "material":
        assert copy_buttons_on_screen > 0  # so that the line above proves something
        assert (scheme_in_print, scheme_after) == ("default", "slate")  # printed in the light palette, and back
    assert folded_after == [False]  # folded again after printing, and unmarked
    assert problems(theme_site.theme, traffic) == []


def test_a_tap_on_a_figure_at_390_px_opens_it_full_width_and_a_second_tap_zooms(browser: Browser, theme_site: ThemeSite) -> None:
    with guarded_context(browser, viewport=PHONE, has_touch=True, is_mobile=True) as (context, traffic):
        page = context.new_page()
        load(page, theme_site.url)
        fetched = len(figure_requests(traffic))
        figure = page.locator("img.reckon-figure:visible").first
        figure.scroll_into_view_if_needed()
        figure.tap()
        image = page.locator("dialog.reckon-lightbox[open] img")
        image.wait_for(timeout=WAIT_MS)
        box = image.evaluate(
            "image => ({width: image.getBoundingClientRect().width, natural: image.naturalWidth, src: image.getAttribute('src')})"
        )
        viewport = page.evaluate("() => document.documentElement.clientWidth")
        page.screenshot(path=SCREENSHOTS / f"{theme_site.theme}-phone-lightbox.png", animations="disabled")
        image.tap()
        frame = page.evaluate(
            "() => { const f = document.querySelector('.reckon-lightbox__frame'); return {scroll: f.scrollWidth, client: f.clientWidth}; }"
        )
        page.keyboard.press("Escape")
        page.locator("dialog.reckon-lightbox").wait_for(state="detached", timeout=WAIT_MS)
    assert box["natural"] > 0, box
    assert box["width"] >= viewport - 1, (box, viewport)
    assert box["src"].endswith("#only-light")
    assert frame["scroll"] > 2 * frame["client"], frame  # zoomed in: wider than the screen, scrolls
    assert len(figure_requests(traffic)) == fetched == FIGURES  # the lightbox shows the copy already there
    assert problems(theme_site.theme, traffic) == []


def test_figure_labels_stay_legible_at_390_px(browser: Browser, theme_site: ThemeSite) -> None:
    """Every label of a figure drawn in reckon's default style is at least 9 CSS px tall on a 390 px phone."""
    with guarded_context(browser, viewport=PHONE) as (context, _traffic):
        page = context.new_page()
        load(page, theme_site.url)
        shown = page.evaluate(SHOWN_JS)
    smallest: dict[str, float] = {}
    for figure in shown:
        svg = (theme_site.built.folder / figure["src"].split("#")[0]).read_text(encoding="utf-8")
        view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg)[1])  # type: ignore[index]
        # Text drawn as paths: `scale(s -s)` on a text group is its font size in points / 100, in viewBox units.
        sizes = [float(scale) * 100 for scale in re.findall(r"scale\(([\d.]+) -[\d.]+\)", svg)]
        assert sizes, f"no text found in {figure['src']}: the check would prove nothing"
        smallest[figure["src"]] = min(sizes) * figure["width"] / view_width
    assert all(size >= 9 for size in smallest.values()), smallest


def test_matrices_tables_and_failures_look_right(browser: Browser, theme_site: ThemeSite) -> None:
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        load(page, theme_site.url)
        matrices = page.evaluate(
            "() => [...document.querySelectorAll('.arithmatex')]"
            ".map(m => m.querySelector('.katex') !== null && m.querySelector('.katex-error') === null)"
        )
        cells = page.evaluate(
            "() => [...document.querySelectorAll('article td, .rst-content td, [role=main] td, .col-md-9 td')]"
            ".map(td => parseFloat(getComputedStyle(td).paddingLeft))"
        )
        failures = page.evaluate("""() => [...document.querySelectorAll('.admonition.failure')].map(box => {
          const style = getComputedStyle(box), colour = (style.borderLeftColor.match(/\\d+/g) || []).map(Number);
          return {text: box.textContent, border: parseFloat(style.borderLeftWidth), colour, background: style.backgroundColor};
        })""")
    assert matrices == [True], "the matrix is not typeset"
    assert cells, "no table found"
    assert min(cells) >= 4, f"table cells without padding: {cells}"
    assert len(failures) == 2, failures
    assert "docs/index.md:52: ZeroDivisionError" in failures[1]["text"], failures  # the summary, and the box at the block
    for box in failures:
        red, green, blue = box["colour"][:3]
        assert box["border"] >= 1, box
        assert red > green + 60, box  # a red edge: it reads as a failure
        assert red > blue + 60, box
    assert problems(theme_site.theme, traffic) == []
