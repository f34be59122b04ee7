"""MkDocs hook: a search index that reads like the page (see ``readable_search``).

Material's search plugin indexes each page's HTML in ``on_page_context``. Just before it does,
this hook hands it a copy of the page in which formulas are plain text and line breaks are spaces
(``readable_search.searchable_html``), and just after, puts the page the reader gets back. After
the build, it gives each entry of ``search/search_index.json`` a field ``numbers`` holding every
number of the entry written the other way (``96096`` for ``96,096`` and back), which Material's
search indexes like the text but never shows.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from readable_search import number_variants, searchable_html

log = logging.getLogger("mkdocs.hooks.search_text")

NUMBERS_FIELD = "numbers"
# What Material's search plugin removes from the page after indexing it, removed from the page we put back.
_SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")
_TAG = re.compile(r"<[^>]+>")

_pages: dict[str, tuple[str, str]] = {}  # a page's url: (the reader's HTML, the HTML search was given)


@event_priority(1)  # just before Material's search (priority 0)
def _give_search_the_readable_page(context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> None:
    if page.content is None:
        return
    readable = searchable_html(page.content)
    _pages[page.url] = (page.content, readable)
    page.content = readable


@event_priority(-1)  # just after it
def _give_the_reader_the_page(context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> None:
    if page.url not in _pages:
        return
    original, readable = _pages.pop(page.url)
    if page.content not in (readable, _SEARCH_ATTRIBUTES.sub("", readable)):
        log.warning(f"search_text: {page.file.src_uri} was changed while search indexed it; its formulas show as search reads them")
        return
    page.content = _SEARCH_ATTRIBUTES.sub("", original) if page.content != readable else original


on_page_context = CombinedEvent(_give_search_the_readable_page, _give_the_reader_the_page)


def add_number_variants(index: dict[str, Any]) -> dict[str, Any]:
    """The search index with a ``numbers`` field on each entry that has numbers, and in its config."""
    for entry in index.get("docs", []):
        text = _TAG.sub(" ", f"{entry.get('title', '')} {entry.get('text', '')}")
        variants = number_variants(text)
        if variants:
            entry[NUMBERS_FIELD] = " ".join(variants)
    index.setdefault("config", {}).setdefault("fields", {})[NUMBERS_FIELD] = {"boost": 1.0}
    return index


@event_priority(-50)  # after Material's search has written the index
def on_post_build(*, config: MkDocsConfig) -> None:
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.exists():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(add_number_variants(index), separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
