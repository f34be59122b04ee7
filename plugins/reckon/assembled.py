"""Keep each page as reckon finished it between builds, so that a page nothing changed for costs nothing.

Assembling a page (scanning and planning it, checking every claim against its results, putting the
results in place) depends on the page as written, reckon's own code, the site's settings and the
results of the page's code; those results depend on the code and on the files it read. So the
finished page is stored under a key of all but those files, with the digests of the files, and is
used again only while every one of them still has the content it had: then assembling it again
would check the same claims against the same values and write the same bytes. A page with any
failure (or whose code failed) is never stored: it is assembled, checked and reported afresh on
every build, and so is any page whose text, code or inputs changed.

Entries are written like the result cache's (a header with the checksum of the payload, renamed
into place), next to it in ``pages/``; a truncated or corrupt entry is ignored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import environment_signature, read_entry, write_entry
from .page.assemble import PageStats, RenderedPage

__all__ = ["AssembledPage", "AssembledPages"]

_FORMAT = 2


@dataclass(frozen=True)
class AssembledPage:
    """A finished page and what it was made from.

    Attributes:
        rendered: The page as assembly returned it (no diagnostics).
        has_code: Whether the page has any block or inline code.
        runs: Whether the page has code to run (its results came from a run or the result cache).
        dependencies: ``(path, sha256)`` of the project files its code imported or opened.
    """

    rendered: RenderedPage
    has_code: bool
    runs: bool
    dependencies: tuple[tuple[str, str], ...] = ()


class AssembledPages:
    """Finished pages in memory and, when ``directory`` is given, on disk.

    Args:
        directory: Where entries are stored, or ``None`` for memory only (also once it cannot be written).
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._memory: dict[str, AssembledPage] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(parts: Iterable[object]) -> str:
        """The key of a page made from ``parts`` (the page as written and the settings that shape it)."""
        text = json.dumps([_FORMAT, environment_signature(), *(repr(part) for part in parts)], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, key: str, unchanged: Callable[[tuple[tuple[str, str], ...]], bool]) -> AssembledPage | None:
        """The page stored under ``key``, if there is one and ``unchanged`` says its files still hold."""
        with self._lock:
            page = self._memory.get(key)
        if page is None and self.directory is not None:
            page = self._read(key)
        if page is None or not unchanged(page.dependencies):
            return None
        with self._lock:
            self._memory[key] = page
        return page

    def put(self, key: str, page: AssembledPage) -> None:
        """Store ``page`` unless it reports any failure."""
        if page.rendered.diagnostics:
            return
        with self._lock:
            self._memory[key] = page
        if self.directory is not None:
            self._write(key, page)

    def _entry_path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / key[:2] / f"{key}.json"

    def _read(self, key: str) -> AssembledPage | None:
        checked = read_entry(self._entry_path(key), _FORMAT)
        if checked is None:
            return None
        _header, payload = checked
        try:
            data: dict[str, Any] = json.loads(payload)
            rendered = RenderedPage(
                data["markdown"],
                {uri: text.encode("utf-8") for uri, text in data["files"].items()},
                [],
                PageStats(**data["stats"]),
                live=bool(data["live"]),
            )
            dependencies = tuple((str(path), str(digest)) for path, digest in data["dependencies"])
            return AssembledPage(rendered, bool(data["has_code"]), bool(data["runs"]), dependencies)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None  # truncated or corrupt: assemble again, never trust

    def _write(self, key: str, page: AssembledPage) -> None:
        rendered = page.rendered
        try:
            files = {uri: content.decode("utf-8") for uri, content in rendered.files.items()}
        except UnicodeDecodeError:  # not text (figures are SVG): keep it in memory only
            return
        data = {
            "markdown": rendered.markdown,
            "files": files,
            "stats": dataclasses.asdict(rendered.stats),
            "live": rendered.live,  # the site then ships the browser's runtime, whether or not the page was reused
            "has_code": page.has_code,
            "runs": page.runs,
            "dependencies": page.dependencies,
        }
        payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
        try:
            write_entry(self._entry_path(key), payload, _FORMAT)
        except OSError:  # the result cache, in the same folder, says so once
            self.directory = None
