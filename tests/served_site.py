"""The repository's own site, built into a folder and served on 127.0.0.1 as GitHub Pages would serve it."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar
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
    """The site as built: its folder, the build's exit code and log, its site_url, and its nav."""

    folder: Path
    code: int
    log: str
    site_url: str  # "https://owner.pages.invalid/reckon/", or "/" for a build without one
    pages: tuple[NavPage, ...]

    @property
    def mount(self) -> str:
        """The path the site is published under: ``/reckon/``."""
        path = urlsplit(self.site_url).path.strip("/")
        return f"/{path}/" if path else "/"

    def html(self, page: NavPage) -> str:
        """The built HTML of a nav page; empty for a page the build did not write (its warnings say why)."""
        path = self.folder / page.path / "index.html"
        return path.read_text(encoding="utf-8") if path.exists() else ""


def site_config(config_file: Path = ROOT / "mkdocs.yml") -> tuple[str, tuple[NavPage, ...]]:
    """The site's ``site_url`` and its nav's pages in order."""
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
    return config["site_url"] or "/", tuple(pages)


# What the Pages workflow gives the build (mkdocs.yml reads them with !ENV): the site's address, with a
# path as a project's Pages site has, and its repository. Stand-ins at reserved .invalid names.
PUBLISHED = {
    "SITE_URL": "https://owner.pages.invalid/reckon/",
    "REPO_URL": "https://github.invalid/owner/reckon",
    "REPO_NAME": "owner/reckon",
    "EDIT_URI": "edit/main/docs/",
}


def build_site(destination: Path, *, timeout: float = 900, published: Mapping[str, str] | None = PUBLISHED) -> BuiltSite:
    """Build the repository's site with its own ``mkdocs.yml`` into ``destination``, as CI does.

    ``published``: the variables the Pages workflow sets (``PUBLISHED``), or None for a local build without them.
    """
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    environment.pop("GITHUB_ACTIONS", None)
    for name in PUBLISHED:
        environment.pop(name, None)
    environment.update(published or {})
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(destination)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    _, pages = site_config()
    site_url = (published or {}).get("SITE_URL") or "/"
    return BuiltSite(destination, completed.returncode, completed.stdout + completed.stderr, site_url, pages)


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
    """Serves the site's folder below its mount path, and nothing outside it (404), quietly.

    It stands in for the site's host, so ``sitemap.xml`` names the pages at this server's address
    rather than at site_url: Material's instant navigation takes over a click only on a link that
    its sitemap lists, comparing ports too, as it would on the published site.
    """

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".woff2": "font/woff2",
        ".svg": "image/svg+xml",
    }

    def __init__(self, *arguments: Any, site: BuiltSite, **keywords: Any) -> None:
        self.site = site
        self.mount = site.mount
        super().__init__(*arguments, **keywords)

    def do_GET(self) -> None:
        if urlsplit(self.path).path != f"{self.mount}sitemap.xml" or "://" not in self.site.site_url:
            super().do_GET()
            return
        served = f"http://{self.headers.get('Host', '127.0.0.1')}{self.mount}"
        body = (self.site.folder / "sitemap.xml").read_bytes().replace(self.site.site_url.encode(), served.encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        route = urlsplit(path).path
        if not route.startswith(self.mount):
            return os.path.join(self.directory, "__outside_the_site__")  # no such file: 404
        return super().translate_path("/" + path[len(self.mount) :])

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site: BuiltSite) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 at a free port, below the path of its site_url.

    Yields:
        The site's address, ``http://127.0.0.1:PORT/reckon/`` for ``https://owner.pages.invalid/reckon/``.
    """
    with serving(partial(_SiteHandler, directory=str(site.folder), site=site)) as origin:
        yield origin + site.mount


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    """Files from a folder, without a log line for every request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """A server of ``handler`` on 127.0.0.1 at a free port, stopped on leaving; yields ``http://127.0.0.1:PORT``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
