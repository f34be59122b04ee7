"""Search on the built site as a reader uses it: formulas read as text, words apart, numbers either way."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser

from page_visits import WAIT_MS, guarded_context
from served_site import BuiltSite

TEX = re.compile(r"\\[()\[\]]|\\[A-Za-z]+")
CODE = re.compile(r"<pre>.*?</pre>|<code>.*?</code>", re.DOTALL)
# Material's search says "Initializing search" until its worker has the index.
SEARCH_READY_JS = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  return meta !== null && !/Initializing/i.test(meta.textContent);
}"""
# Each result's address and text, the folded ones too, less code (which quotes the write-up's TeX source as written).
RESULTS_JS = """links => links.map(link => {
  const copy = link.cloneNode(true);
  copy.querySelectorAll("code, pre").forEach(code => code.remove());
  return {href: link.href, text: copy.textContent};
})"""


def search(browser: Browser, site_url: str, query: str) -> list[dict[str, Any]]:
    """The results Material's search shows for ``query`` in a fresh browser: each link's address and visible text."""
    with guarded_context(browser) as (context, traffic):
        page = context.new_page()
        page.goto(site_url)
        page.wait_for_function(SEARCH_READY_JS, timeout=WAIT_MS)
        page.locator("input.md-search__input").click()
        page.keyboard.type(query, delay=30)  # as a reader types: a query set at once with fill() is sometimes not searched
        results = page.locator("a.md-search-result__link")
        results.first.wait_for(timeout=WAIT_MS)
        found: list[dict[str, Any]] = results.evaluate_all(RESULTS_JS)
    assert traffic.errors == []
    assert traffic.foreign == []
    return found


def test_the_sites_search_index_holds_no_tex_outside_code(built_site: BuiltSite) -> None:
    entries = json.loads((built_site.folder / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    with_tex = {entry["location"]: TEX.findall(CODE.sub(" ", f"{entry['title']} {entry['text']}"))[:5] for entry in entries}
    assert {location: found for location, found in with_tex.items() if found} == {}
    assert any("∂L/∂" in entry["text"] for entry in entries), "no formula of the site reads as text: this test would prove nothing"


def test_a_number_typed_without_separators_finds_the_q4_page(browser: Browser, built_site: BuiltSite, site_url: str) -> None:
    target = next(page for page in built_site.pages if page.src == "q4-kernel.md")
    for query in ("96096", "96,096", "418176000"):
        links = [urlsplit(result["href"]) for result in search(browser, site_url, query)]
        sections = [link for link in links if link.path == urlsplit(site_url).path + target.path and link.fragment]
        assert sections, f"searching {query} found {[link.geturl() for link in links]}, no section of {target.src}"


def test_result_excerpts_show_formulas_as_text_and_words_apart(browser: Browser, site_url: str) -> None:
    shown = {query: [result["text"] for result in search(browser, site_url, query)] for query in ("tie", "imprecise", "floor")}
    backslashes = {query: [text[:160] for text in texts if TEX.search(text)] for query, texts in shown.items()}
    assert {query: texts for query, texts in backslashes.items() if texts} == {}
    # The errata's table: each cell's words stay apart from the next cell's ("Q4 incomplete", not "Q4incomplete").
    assert any(re.search(r"\bQ\d (wrong|imprecise|incomplete)\b", " ".join(text.split())) for text in shown["imprecise"]), shown[
        "imprecise"
    ][:3]
    assert any("z1" in text for text in shown["tie"]), shown["tie"][:3]
