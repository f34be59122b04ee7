"""Benchmark live pages: what the reader's browser fetches on the first change, and how long until it shows a result.

Builds the site (or takes a built one), serves it on 127.0.0.1 as the browser tests do, and for each
round opens Q4 in a fresh Chromium context (nothing cached), changes the input size, and records:

- the bytes fetched after the change (Pyodide's core, reckon's Python, the page's payload, the
  worker), as the browser's Resource Timing counts their bodies, in the page and in the worker;
- the time from the change to the first recomputed value on the page;
- the time of a second change (Pyodide already loaded): the page's cells alone.

Writes medians and samples to ``benchmarks/results/live.json``, which the Performance page reads.
Needs the test extras (playwright, Debian's Chromium) and Pyodide installed (``python -m npm_pinned install pyodide``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "live.json"
PAGE = "q4-kernel/"
FIRST = {"size_in": "206"}  # 206 → 66 at stride 3: kernels 9, 10 and 11
SECOND = {"size_in": "209"}  # then 209 → 66: kernels 12, 13 and 14
SHOWN_JS = "wanted => JSON.stringify(window.__reckonLive.shown) === JSON.stringify(wanted)"


def helpers(name: str) -> Any:
    """A module of the tests' helpers (the server that stands in for GitHub Pages, Chromium's flags) or of the benchmarks."""
    for folder in (ROOT / "tests", ROOT / "benchmarks"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    return importlib.import_module(name)


def one_round(browser: Any, url: str) -> dict[str, Any]:
    """Open the page in a fresh context, change it twice, and measure."""
    context = browser.new_context(viewport=helpers("page_visits").VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        for name, value in FIRST.items():
            page.fill(f"input[name={name}]", value)
        wanted = page.eval_on_selector_all("form.reckon-live-inputs input", "inputs => inputs.map(i => i.value)")
        page.wait_for_function(SHOWN_JS, arg=wanted, timeout=300_000)
        timings = page.evaluate("() => window.__reckonLive")
        # As the browser's Resource Timing counts them, in the page (the worker's script) and in the worker.
        sizes = [(entry["url"], int(entry["bytes"])) for entry in timings["fetched"]]
        first = timings["firstResult"] - timings["firstInteraction"]
        fetched = sum(size for _url, size in sizes)
        count = len(sizes)
        files = {url.split("/assets/reckon/", 1)[-1]: size for url, size in sizes}
        before = time.perf_counter()
        for name, value in SECOND.items():
            page.fill(f"input[name={name}]", value)
        wanted = page.eval_on_selector_all("form.reckon-live-inputs input", "inputs => inputs.map(i => i.value)")
        page.wait_for_function(SHOWN_JS, arg=wanted, timeout=300_000)
        second = time.perf_counter() - before
    finally:
        context.close()
    return {
        "bytes": fetched,
        "requests": count,
        "first_seconds": first / 1000,
        "worker_load_seconds": timings["loadMs"] / 1000,  # in the worker: Pyodide, reckon's Python, the page's payload
        "worker_run_seconds": timings["runMs"] / 1000,  # in the worker: the page's live cells, the first time
        "again_seconds": second,
        "files": files,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds, each in a fresh browser context")
    parser.add_argument("--site", type=Path, help="a site already built with the repository's mkdocs.yml (default: build one)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    visits, served = helpers("page_visits"), helpers("served_site")

    with tempfile.TemporaryDirectory() as scratch:
        if options.site is None:
            site = served.build_site(Path(scratch) / "site")
            if site.code != 0:
                raise SystemExit(f"the site did not build:\n{site.log[-4000:]}")
        else:
            site_url, pages = served.site_config()
            site = served.BuiltSite(options.site, 0, "", site_url, pages)
        samples: list[dict[str, Any]] = []
        with served.serve(site) as url, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(visits.CHROMIUM), args=visits.CHROMIUM_ARGS)
            try:
                for round_ in range(options.repeat):
                    samples.append(one_round(browser, url + PAGE))
                    sample = samples[-1]
                    print(
                        f"  round {round_ + 1}/{options.repeat}: {sample['bytes'] / 1e6:.2f} MB in {sample['requests']:.0f} requests, "
                        f"first value {sample['first_seconds']:.2f} s, again {sample['again_seconds']:.2f} s",
                        flush=True,
                    )
            finally:
                browser.close()
    from reckon.live.runtime import PYODIDE

    report: dict[str, Any] = {
        "command": f"python benchmarks/live_pages.py --repeat {options.repeat}",
        "page": "docs/q4-kernel.md",
        "change": FIRST,
        "pyodide": PYODIDE.version,
        "machine": {**helpers("q4_layer").machine(), "browser": "Debian's Chromium, headless, served from 127.0.0.1"},
        "median": {key: round(statistics.median(sample[key] for sample in samples), 3) for key in samples[0] if key != "files"},
        "samples": samples,
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    median = report["median"]
    print(f"first change: {median['bytes'] / 1e6:.2f} MB fetched, first value after {median['first_seconds']:.2f} s", end="; ")
    print(f"again: {median['again_seconds']:.2f} s")
    print(f"written to {options.output}")


if __name__ == "__main__":
    main()
