"""The repository's own site, built into a folder and served on 127.0.0.1 as GitHub Pages would serve it."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class NavPage:
    """A page of the nav: its title, its Markdown file, and its URL path below the site's root."""

    title: str
    src: str
    path: str  # "" for index.md, "q1-mean-filter/" for q1-mean-filter.md

    @property
    def slug(self) -> str:
        """A file-name-safe name for the page (screenshots)."""
        return self.path.strip("/").replace("/", "-") or "index"


@dataclass(frozen=True)
class BuiltSite:
    """The site as built: its folder, the build's exit code and log, where it mounts, and its nav."""

    folder: Path
    code: int
    log: str
    mount: str  # the path of site_url: "/reckon/"
    pages: tuple[NavPage, ...]

    def html(self, page: NavPage) -> str:
        """The built HTML of a nav page."""
        return (self.folder / page.path / "index.html").read_text(encoding="utf-8")


def nav_pages(config_file: Path = ROOT / "mkdocs.yml") -> tuple[str, tuple[NavPage, ...]]:
    """The site's mount path (from ``site_url``) and its nav's pages in order."""
    with open(config_file, "rb") as stream:
        config = load_config(config_file=stream)
    pages: list[NavPage] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            title, target = next(iter(item.items())) if isinstance(item, dict) else (item, item)
            if isinstance(target, list):
                walk(target)
            elif isinstance(target, str) and target.endswith(".md") and "://" not in target:
                stem = target[: -len(".md")]
                path = "" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index") else f"{stem}/")
                pages.append(NavPage(str(title), target, path))

    walk(config["nav"] or [])
    mount = "/" + urlsplit(config["site_url"] or "/").path.strip("/") + "/"
    return mount.replace("//", "/"), tuple(pages)


def build_site(destination: Path, *, site_url: str, timeout: float = 900) -> BuiltSite:
    """Build the repository's site with its own ``mkdocs.yml`` into ``destination``, as CI does.

    ``site_url`` replaces the configured one (through ``SITE_URL``), as the address the site is
    served at: Material's instant navigation only takes over links to pages of its own site_url.
    """
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    environment.pop("GITHUB_ACTIONS", None)
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(destination)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    _mount, pages = nav_pages()
    return BuiltSite(destination, completed.returncode, completed.stdout + completed.stderr, urlsplit(site_url).path, pages)


class _FormulaCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if "arithmatex" in (dict(attrs).get("class") or "").split():
            self.count += 1


def count_formulas(html: str) -> int:
    """How many formulas pymdownx.arithmatex wrote into a page (its elements of class ``arithmatex``)."""
    counter = _FormulaCounter()
    counter.feed(html)
    counter.close()
    return counter.count


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's folder below its mount path, and nothing outside it (404), quietly."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".woff2": "font/woff2", ".svg": "image/svg+xml"}

    def __init__(self, *arguments: Any, mount: str, **keywords: Any) -> None:
        self.mount = mount
        super().__init__(*arguments, **keywords)

    def translate_path(self, path: str) -> str:
        route = urlsplit(path).path
        if not route.startswith(self.mount):
            return os.path.join(self.directory, "__outside_the_site__")  # no such file: 404
        return super().translate_path("/" + path[len(self.mount) :])

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path, mount: str) -> Iterator[str]:
    """Serve ``folder`` (which may not exist yet) on 127.0.0.1 at a free port below ``mount``.

    Yields:
        The site's address, ``http://127.0.0.1:PORT/reckon/`` for the mount ``/reckon/``.
    """
    handler = partial(_SiteHandler, directory=str(folder), mount=mount)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
