"""Live pages in Debian's Chromium: the reader changes inputs on Q2 and Q4, and the page recomputes.

Each test opens a fresh browser context (so Pyodide loads anew) whose every request is watched:
nothing of the runtime is fetched before the first change, nothing ever from another origin. The
values the page shows are held against what cnnmath computes here, in CPython, for the same inputs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from cnnmath.notation import format_shape, walk
from cnnmath.output_size import kernel_sizes
from fixture_sites import FixtureSite
from page_visits import Traffic, guarded_context
from reckon import live
from served_site import ROOT, BuiltSite, serve

LOAD_MS = 180_000  # Pyodide's first load, on a machine shared with the rest of the suite
RUNTIME = re.compile(r"/assets/reckon/(pyodide/|live/(python\.json|worker\.js|[0-9a-f]{20}\.json))")


def declaration_line(page: str, name: str) -> int:
    """The line of the page on which input ``name`` is declared."""
    lines = (ROOT / "docs" / page).read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, 1) if re.match(rf"{name} = live\.", text))


def line_of(page: str, text: str) -> int:
    lines = (ROOT / "docs" / page).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@contextmanager
def live_page(browser: Browser, url: str) -> Iterator[tuple[Page, Traffic]]:
    """A page opened in a fresh, guarded context, loaded and idle."""
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.locator("form.reckon-live-inputs").first.evaluate("form => form.scrollIntoView({block: 'center'})")
        yield page, traffic
        assert traffic.foreign == []
        assert traffic.errors == []


def change(page: Page, values: dict[str, str]) -> None:
    """Type ``values`` into the inputs and wait until the page shows results for exactly them."""
    for name, value in values.items():
        page.fill(f"form.reckon-live-inputs input[name={name}]", value)
    wanted = page.eval_on_selector_all("form.reckon-live-inputs input", "inputs => inputs.map(i => i.value)")
    page.wait_for_function("wanted => JSON.stringify(window.__reckonLive.shown) === JSON.stringify(wanted)", arg=wanted, timeout=LOAD_MS)


def wait_for_text(page: Page, selector: str, expected: str) -> str:
    """Wait until the first element ``selector`` finds reads ``expected`` (or time out); what it reads."""
    try:
        page.wait_for_function("([s, text]) => document.querySelector(s).textContent === text", arg=[selector, expected], timeout=LOAD_MS)
    finally:
        shown = page.locator(selector).first.inner_text()
    return shown


def message_of(page: Page, name: str) -> str:
    return page.locator(f"form.reckon-live-inputs input[name={name}] ~ output").inner_text()


def page_message(page: Page, expected: str) -> str:
    """Wait for the form's message to read ``expected`` (or time out) and return what it reads."""
    locator = page.locator(".reckon-live-page-message").first
    try:
        page.wait_for_function(
            "text => document.querySelector('.reckon-live-page-message').textContent === text", arg=expected, timeout=LOAD_MS
        )
    finally:
        shown = locator.inner_text()
    return shown


def claims(page: Page) -> list[tuple[str, str]]:
    """Every live claim: its value as shown, and its state (``checked`` or ``recomputed``)."""
    shown = page.eval_on_selector_all(
        ".reckon-live-claim",
        "spans => spans.map(s => [s.querySelector('.reckon-live-value').textContent, s.querySelector('.reckon-live-state').textContent])",
    )
    return [(value, state) for value, state in shown]


def table_rows(page: Page) -> list[list[str]]:
    """The live table's body, cell by cell (math cells read as KaTeX's accessible text)."""
    return page.eval_on_selector_all(
        ".reckon-live-output table tbody tr",
        "rows => rows.map(r => [...r.cells].map(c => (c.querySelector('annotation') || c).textContent.trim()))",
    )


def test_q4_loads_nothing_until_a_value_changes_then_recomputes_what_cnnmath_computes(browser: Browser, site_url: str) -> None:
    with live_page(browser, site_url + "q4-kernel/") as (page, traffic):
        page.locator("input[name=size_in]").focus()
        page.mouse.wheel(0, 200)
        page.wait_for_timeout(500)
        assert [url for url in traffic.local if RUNTIME.search(url)] == []
        built = claims(page)
        assert built == [("{8, 9, 10}", "checked"), ("96,096", "checked"), ("418,176,000", "checked"), ("267,632,640", "checked")]

        change(page, {"size_in": "101", "size_out": "32"})
        fits = kernel_sizes(101, 32, stride=3, padding=0)
        rows = [walk((101, 101, 10), [f"CONV{k}-96(3,0)"]).rows[0] for k in fits]
        assert table_rows(page) == [
            [f"k = {k}", f"{row.parameters:,}", f"{row.multiplications:,}"] for k, row in zip(fits, rows, strict=True)
        ]
        assert claims(page) == [
            ("{" + ", ".join(map(str, fits)) + "}", "recomputed"),
            (f"{rows[-1].parameters:,}", "recomputed"),
            (f"{rows[-1].multiplications:,}", "recomputed"),
            (f"{rows[0].multiplications:,}", "recomputed"),
        ]
        formula = page.locator(".reckon-live-output div.arithmatex annotation").first.text_content() or ""
        assert f"{101} - {fits[-1]}" in formula.replace("{", "").replace("}", "")
        fetched = {url.split("/assets/reckon/", 1)[1] for url in traffic.local if RUNTIME.search(url)}
        assert {"pyodide/pyodide.mjs", "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "live/python.json"} <= fetched

        change(page, {"stride": "2", "size_out": "48"})
        fits = kernel_sizes(101, 48, stride=2, padding=0)
        assert [row[0] for row in table_rows(page)] == [f"k = {k}" for k in fits]

        page.click("form.reckon-live-inputs button[type=reset]")
        page.wait_for_function("window.__reckonLive.shown === null", timeout=LOAD_MS)
        assert claims(page) == built


def test_the_page_answers_a_click_while_the_worker_loads_and_computes(browser: Browser, site_url: str) -> None:
    with live_page(browser, site_url + "q4-kernel/") as (page, _traffic):
        page.fill("input[name=size_in]", "206")
        seen = page.evaluate(
            """() => new Promise(resolve => {
                const probe = document.createElement("button");
                probe.textContent = "probe";
                document.body.appendChild(probe);
                const stats = window.__reckonLive;
                probe.addEventListener("click", () => resolve({inFlight: stats.inFlight, results: stats.results}));
                setTimeout(() => probe.click(), 100);
            })"""
        )
        assert seen == {"inFlight": 1, "results": 0}  # the handler ran while a run was under way in the worker
        page.wait_for_function("window.__reckonLive.results >= 1", timeout=LOAD_MS)


def test_q4_bad_values_show_the_message_the_build_would_give_and_the_page_keeps_working(browser: Browser, site_url: str) -> None:
    with live_page(browser, site_url + "q4-kernel/") as (page, _traffic):
        line = declaration_line("q4-kernel.md", "stride")
        for typed in ("0", ""):
            page.fill("input[name=stride]", typed)
            with pytest.raises(live.LiveInputError) as refused:
                live.read_input(live.Input("number", 3, "stride S", 1, 64), typed)  # what the build's live.number does with it
            expected = f"docs/q4-kernel.md:{line}: reckon.live.LiveInputError: {refused.value}"
            page.wait_for_function(
                "text => document.querySelector('input[name=stride] ~ output').textContent === text", arg=expected, timeout=LOAD_MS
            )
            assert page.locator("input[name=stride]").get_attribute("aria-invalid") == "true"
        # A value every input accepts, for which no kernel fits: the block's own exception, at its line.
        page.fill("input[name=stride]", "3")
        page.fill("input[name=size_in]", "100")
        assert kernel_sizes(100, 66, stride=3, padding=0) == ()
        raised = line_of("q4-kernel.md", 'raise ValueError(f"no kernel size maps')
        expected = f"docs/q4-kernel.md:{raised}: ValueError: no kernel size maps 100 rows to 66 at stride 3 without padding"
        assert page_message(page, expected) == expected
        assert message_of(page, "stride") == ""
        change(page, {"size_in": "208", "size_out": "68"})  # and good values recompute again
        assert [row[0] for row in table_rows(page)] == [f"k = {k}" for k in kernel_sizes(208, 68, stride=3, padding=0)]


def test_q2_recomputes_the_shape_and_parameter_table_for_another_network(browser: Browser, site_url: str) -> None:
    with live_page(browser, site_url + "q2-shapes/") as (page, traffic):
        assert [url for url in traffic.local if RUNTIME.search(url)] == []
        layers = "CONV5-8(1,2), ReLU, POOL-2, CONV3-16(2,1), FLATTEN, FC-4"
        change(page, {"image_side": "28", "image_channels": "1", "layer_list": layers})
        net = walk((28, 28, 1), ["Input", "CONV5-8(1,2)", "ReLU", "POOL-2", "CONV3-16(2,1)", "FLATTEN", "FC-4"])
        expected = [
            [row.notation, format_shape(row.output_shape), row.parameter_formula, f"{row.parameters:,}", f"{row.multiplications:,}"]
            for row in net
        ]
        expected.append(["total", "", "", f"{net.total_parameters:,}", f"{net.total_multiplications:,}"])
        assert table_rows(page) == expected
        assert claims(page) == [(f"{net.total_parameters:,}", "recomputed"), (f"{net.total_multiplications:,}", "recomputed")]
        assert page.locator(".reckon-live:not(.reckon-live-claim)").last.inner_text() == format_shape(net.output_shape)


def test_q2_a_layer_list_that_does_not_parse_shows_cnnmath_s_message_and_the_page_keeps_working(browser: Browser, site_url: str) -> None:
    with live_page(browser, site_url + "q2-shapes/") as (page, _traffic):
        page.fill("input[name=layer_list]", "CONV3-10, ReLU, POOL-3x, FC-10")
        with pytest.raises(ValueError, match="POOL-3x") as refused:
            walk((32, 32, 3), ["Input", "CONV3-10", "ReLU", "POOL-3x", "FC-10"])
        line = line_of("q2-shapes.md", "tried = walk(")
        expected = f"docs/q2-shapes.md:{line}: ValueError: {refused.value}"
        assert page_message(page, expected) == expected
        assert page.locator(".reckon-live-output.reckon-live-stale").count() == 1
        page.fill("input[name=layer_list]", "")
        line = declaration_line("q2-shapes.md", "layer_list")
        expected = f"docs/q2-shapes.md:{line}: reckon.live.LiveInputError: layers is empty: write a value"
        page.wait_for_function(
            "text => document.querySelector('input[name=layer_list] ~ output').textContent === text", arg=expected, timeout=LOAD_MS
        )
        change(page, {"layer_list": "CONV3-10, FLATTEN, FC-2"})
        net = walk((32, 32, 3), ["Input", "CONV3-10", "FLATTEN", "FC-2"])
        assert claims(page)[0] == (f"{net.total_parameters:,}", "recomputed")


def test_a_live_page_reached_by_material_s_instant_navigation_recomputes_too(browser: Browser, site_url: str) -> None:
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        page.goto(site_url + "q3-backprop/")
        page.wait_for_load_state("networkidle")
        page.evaluate("() => { window.__sameDocument = true; }")
        page.locator("nav.md-nav a[href$='q4-kernel/']").first.click()
        page.wait_for_selector("form.reckon-live-inputs[data-reckon-ready]")
        assert page.evaluate("() => window.__sameDocument === true")  # no reload: Material swapped the content
        page.locator("form.reckon-live-inputs").evaluate("form => form.scrollIntoView({block: 'center'})")
        change(page, {"size_in": "206"})
        assert [row[0] for row in table_rows(page)] == [f"k = {k}" for k in kernel_sizes(206, 66, stride=3, padding=0)]
        assert traffic.foreign == []


# MkDocs' own theme, without its highlight.js from a CDN: live pages do not need Material's document$.
RUNAWAY_CONFIG = (
    "site_name: runaway\ntheme: {name: mkdocs, highlightjs: false}\nplugins:\n  - reckon:\n      timeout: 3\n      cache: false\n"
)
RUNAWAY_PAGE = """\
# Runaway

```{python}
#| live: true
from reckon import live

n = live.number(1, min=0, label="loops")
```

```{python}
#| live: true
#| echo: false
while n == 2:  # the reader can make this loop forever
    pass
n * 10
```

It gives `{python} n * 10 = 10`.
"""


def test_live_code_that_runs_past_the_timeout_is_stopped_and_the_next_change_recomputes(browser: Browser, tmp_path: Path) -> None:
    fixture = FixtureSite(tmp_path / "project")
    fixture.write("mkdocs.yml", RUNAWAY_CONFIG, dedent=False)
    fixture.write("docs/index.md", RUNAWAY_PAGE)
    outcome = fixture.build()
    assert outcome.code == 0, outcome.log
    site = BuiltSite(outcome.site, 0, outcome.log, "/", ())
    with serve(site) as url, guarded_context(browser) as (context, traffic):
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("form.reckon-live-inputs").get_attribute("data-reckon-timeout") == "3"
        page.fill("input[name=n]", "2")
        expected = "the live code ran longer than the 3 s timeout and was stopped; change a value to try again"
        assert page_message(page, expected) == expected
        assert page.locator(".reckon-live-claim.reckon-live-stale").count() == 1
        change(page, {"n": "4"})
        assert claims(page) == [("40", "recomputed")]
        assert traffic.foreign == []


def test_a_runtime_that_cannot_load_is_reported_in_the_page_which_keeps_working(browser: Browser, tmp_path: Path) -> None:
    fixture = FixtureSite(tmp_path / "project")
    fixture.write("mkdocs.yml", RUNAWAY_CONFIG, dedent=False)
    fixture.write("docs/index.md", RUNAWAY_PAGE)
    outcome = fixture.build()
    assert outcome.code == 0, outcome.log
    (outcome.site / "assets/reckon/pyodide/pyodide.asm.wasm").unlink()  # a broken deployment
    site = BuiltSite(outcome.site, 0, outcome.log, "/", ())
    with serve(site) as url, guarded_context(browser) as (context, _traffic):
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.fill("input[name=n]", "4")
        page.wait_for_function("document.querySelector('.reckon-live-page-message').textContent !== ''", timeout=LOAD_MS)
        assert page.locator(".reckon-live-page-message").inner_text() == "this site's copy of Pyodide lacks pyodide.asm.wasm (404)"
        assert page.locator(".reckon-live-claim").inner_text().startswith("10")  # the build's value, dimmed
        assert page.locator(".reckon-live-claim.reckon-live-stale").count() == 1
        page.fill("input[name=n]", "1")  # back to the page's own values: what the build wrote, checked
        page.wait_for_function("window.__reckonLive.shown === null && !document.querySelector('.reckon-live-stale')", timeout=LOAD_MS)
