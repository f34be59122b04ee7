"""One drawing, two palettes: the palette-aware SVG looks, pixel for pixel, like the two files reckon wrote before.

Before, the dark figure was a second file: the light SVG with each theme colour swapped. Now one
file shows either palette (``#only-dark`` selects the dark one). Chromium renders the new file in
each palette and the old files beside it, and the screenshots must be identical.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest
from playwright.sync_api import Browser

from page_visits import WAIT_MS
from served_site import QuietFiles, serving

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from reckon import theme  # noqa: E402
from reckon.run import figures  # noqa: E402
from sample_figure import draw_sample  # noqa: E402


def draw() -> str:
    """A figure with every kind of themed artist, and colours that must not change (a black title)."""
    return draw_sample(suptitle_colour="black")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("palettes")
    drawn = draw()
    old_dark = drawn
    for light, dark in theme.swaps():
        old_dark = old_dark.replace(light, dark)
    (folder / "aware.svg").write_text(figures.palette_aware(drawn), encoding="utf-8")
    (folder / "old-light.svg").write_text(drawn, encoding="utf-8")
    (folder / "old-dark.svg").write_text(old_dark, encoding="utf-8")
    page = '<!doctype html><body style="margin:0;background:#808080">{}</body>'
    sources = {
        "new-light": "aware.svg#only-light",
        "new-dark": "aware.svg#only-dark",
        "old-light": "old-light.svg",
        "old-dark": "old-dark.svg",
    }
    for name, source in sources.items():
        (folder / f"{name}.html").write_text(page.format(f'<img id="figure" src="{source}">'), encoding="utf-8")
    with serving(partial(QuietFiles, directory=str(folder))) as origin:
        yield origin + "/"


def shot(browser: Browser, url: str) -> bytes:
    page = browser.new_page(viewport={"width": 900, "height": 700})
    try:
        page.goto(url, wait_until="load")
        page.wait_for_function("() => document.getElementById('figure').complete", timeout=WAIT_MS)
        return page.locator("#figure").screenshot(animations="disabled")
    finally:
        page.close()


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_one_file_looks_exactly_like_the_file_of_its_palette(browser: Browser, served: str, palette: str) -> None:
    new, old = shot(browser, f"{served}new-{palette}.html"), shot(browser, f"{served}old-{palette}.html")
    assert new == old, f"the {palette} palette of the one file differs from the old {palette} file"


def test_the_two_palettes_differ(browser: Browser, served: str) -> None:
    assert shot(browser, f"{served}new-light.html") != shot(browser, f"{served}new-dark.html")
