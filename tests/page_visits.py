"""What a reader's browser does with each page: Debian's Chromium, driven by Playwright, watched closely.

Every request a page makes passes a guard that lets through 127.0.0.1 and aborts anything else,
recording it; console errors, uncaught exceptions, failed requests and HTTP errors are recorded
too. A visit loads a page in the light palette, waits for KaTeX and the images, reads what the
page shows, switches to the dark palette with Material's own toggle, and reads it again, taking a
screenshot in each palette.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, Request, Response, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from served_site import NavPage

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # as root, and in CI's container
    "--disable-gpu",
    "--disable-background-networking",  # Chromium's own calls home, which a closed network refuses
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",  # a container's /dev/shm is 64 MB; large screenshots need more
]
VIEWPORT = {"width": 1280, "height": 860}
WAIT_MS = 15_000

# Each element arithmatex wrote, and whether KaTeX replaced its TeX with typeset math.
FORMULAS_JS = """() => [...document.querySelectorAll(".arithmatex")].map(e => ({
  tag: e.tagName,
  typeset: e.querySelector(".katex") !== null && e.querySelector(".katex-error") === null,
  tex: (e.querySelector("annotation") || e).textContent.trim().slice(0, 120),
}))"""
TYPESETTING_DONE_JS = """() => [...document.querySelectorAll(".arithmatex")].every(e => e.querySelector(".katex") || e.dataset.katex)"""
KATEX_FONTS_JS = """async () => {
  await document.fonts.ready;
  return [...document.fonts].filter(f => f.status === "loaded" && f.family.replace(/"/g, "").startsWith("KaTeX")).map(f => f.family);
}"""
IMAGES_DONE_JS = "() => [...document.images].every(image => image.complete)"
# `shown` is the image's own display, which Material's palette rules set, whatever hides its
# ancestors (an inactive tab, a closed details block).
IMAGES_JS = """() => [...document.querySelectorAll("article img")].map(image => ({
  src: image.getAttribute("src"), shown: getComputedStyle(image).display !== "none", width: image.naturalWidth,
}))"""
SCHEME_JS = "() => document.body.getAttribute('data-md-color-scheme')"


@dataclass
class Traffic:
    """What the pages of one browser context asked for, and what went wrong."""

    local: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        """Let requests to 127.0.0.1 through; abort and record every other."""
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            self.local.append(url)
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort("blockedbyclient")

    def request_failed(self, request: Request) -> None:
        if request.url not in self.foreign:
            self.failed.append(f"{request.url}: {request.failure}")

    def response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url}: HTTP {response.status}")

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            self.errors.append(f"console.error: {message.text} ({location.get('url')}:{location.get('lineNumber')})")

    def web_error(self, error: Any) -> None:
        self.errors.append(f"uncaught: {error.error}")


@contextmanager
def guarded_context(browser: Browser, *, color_scheme: str = "light", **options: Any) -> Iterator[tuple[BrowserContext, Traffic]]:
    """A fresh browser context (no stored palette) whose every request and error is watched.

    ``options`` go to ``browser.new_context`` (``viewport``, ``has_touch``, ...).
    """
    context = browser.new_context(**{"viewport": VIEWPORT, **options}, color_scheme=color_scheme)  # type: ignore[arg-type]
    traffic = Traffic()
    context.route("**/*", traffic.route)
    context.on("requestfailed", traffic.request_failed)
    context.on("response", traffic.response)
    context.on("console", traffic.console)
    context.on("weberror", traffic.web_error)
    try:
        yield context, traffic
    finally:
        context.close()


@dataclass(frozen=True)
class Image:
    """An image in the page's content: its ``src`` as written, whether the palette shows it, and its natural width."""

    src: str
    shown: bool
    width: int

    @property
    def palette(self) -> str | None:
        """``light`` or ``dark`` for reckon's figures (``#only-light``, ``#only-dark``), else None."""
        fragment = urlsplit(self.src).fragment
        return fragment.removeprefix("only-") if fragment in ("only-light", "only-dark") else None


@dataclass(frozen=True)
class PaletteView:
    """The page as shown in one palette."""

    scheme: str | None
    images: tuple[Image, ...]
    screenshot: Path


@dataclass
class Visit:
    """Everything a test asserts about one page, gathered in one visit."""

    page: NavPage
    traffic: Traffic
    formulas: list[dict[str, Any]]
    katex_fonts: list[str]
    light: PaletteView
    dark: PaletteView
    timeouts: list[str]


def _wait(page: Page, script: str, what: str, timeouts: list[str]) -> None:
    try:
        page.wait_for_function(script, timeout=WAIT_MS)
    except PlaywrightTimeout:
        timeouts.append(f"{what} did not finish within {WAIT_MS / 1000:g} s")


def _view(page: Page, screenshot: Path, timeouts: list[str]) -> PaletteView:
    _wait(page, IMAGES_DONE_JS, "loading the images", timeouts)
    images = tuple(Image(**image) for image in page.evaluate(IMAGES_JS))
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshot, full_page=True, animations="disabled")
    return PaletteView(page.evaluate(SCHEME_JS), images, screenshot)


def switch_palette(page: Page) -> None:
    """Click Material's palette toggle (the one label of the two that is showing)."""
    page.locator("form[data-md-component=palette] label:not([hidden])").click(timeout=WAIT_MS)


def visit(browser: Browser, url: str, page_info: NavPage, screenshots: Path) -> Visit:
    """Load ``url`` in a fresh guarded context and gather what the tests check, in both palettes."""
    timeouts: list[str] = []
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        try:
            page.goto(url, wait_until="load")
        except Error as error:
            traffic.errors.append(f"could not load {url}: {error.message}")
        _wait(page, TYPESETTING_DONE_JS, "typesetting the formulas", timeouts)
        formulas = page.evaluate(FORMULAS_JS)
        fonts = page.evaluate(KATEX_FONTS_JS)
        light = _view(page, screenshots / f"{page_info.slug}-light.png", timeouts)
        try:
            switch_palette(page)
            page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'", timeout=WAIT_MS)
        except (Error, PlaywrightTimeout) as error:
            timeouts.append(f"switching to the dark palette failed: {error}")
        dark = _view(page, screenshots / f"{page_info.slug}-dark.png", timeouts)
    return Visit(page_info, traffic, formulas, fonts, light, dark, timeouts)
