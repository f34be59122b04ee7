"""Highlight each code block once: Pygments colours the same source the same way every build.

The blocks reckon shows (a page's source, ``echo: true`` or ``fold``) are highlighted by
pymdownx.highlight like any fenced code, on every build and on every rebuild of ``mkdocs serve``.
:func:`remember_highlighting` wraps its ``Highlight.highlight`` so that a call made again with the
same source, the same arguments and the same highlighter settings (every option the site gives
``pymdownx.highlight``: the Pygments style, line numbers, anchors, classes...) returns the HTML it
returned before, and with a file it also keeps that HTML between builds (:func:`keep_highlighting`
writes it), for the versions of Pygments, pymdown-extensions and Markdown it was made with. Only
calls whose result is plain text are remembered: inline code (its result is an element MkDocs puts
into the page) and blocks with a title (an HTML title is stored in the page's own Markdown
instance) are always highlighted afresh.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from .cache import checked_payload, write_entry

__all__ = ["keep_highlighting", "remember_highlighting"]

_LIMIT = 4096  # blocks remembered; the least recently used is forgotten first
_FORMAT = 1
_MARK = "__reckon_remembers__"
_lock = threading.Lock()
_known: OrderedDict[str, str] = OrderedDict()  # sha256 of the call -> its HTML
_used: set[str] = set()  # what this process highlighted or reused: what keep_highlighting writes
_stored: set[str] = set()  # what the file holds
_state: dict[str, Any] = {"file": None, "dirty": False}  # dirty: a block was used that the file lacks


def remember_highlighting(file: Path | None = None) -> None:
    """Remember highlighted blocks in this process, and with ``file`` between builds too.

    Installing is done once per process (later calls only read ``file`` if it is a new one).
    Without pymdownx, nothing happens.
    """
    try:
        from pymdownx.highlight import Highlight
    except ImportError:
        return
    with _lock:
        if not getattr(Highlight.highlight, _MARK, False):
            remembered = _remembering(Highlight.highlight)
            setattr(remembered, _MARK, True)
            Highlight.highlight = remembered
        if file is None or file == _state["file"]:
            return
        _state["file"] = file
        _stored.clear()
        _state["dirty"] = bool(_used)
    try:
        entry = checked_payload(file.read_bytes(), _FORMAT)
        stored = json.loads(entry[1]) if entry is not None else {}
    except (OSError, ValueError):
        return
    if not isinstance(stored, dict) or stored.get("versions") != _versions():
        return
    blocks = stored.get("blocks")
    if isinstance(blocks, dict):
        with _lock:
            for digest, html in blocks.items():
                if isinstance(digest, str) and isinstance(html, str):
                    _known.setdefault(digest, html)
                    _stored.add(digest)
            _state["dirty"] = bool(_used - _stored)


def keep_highlighting() -> None:
    """Write the blocks this process highlighted or reused to the file given to :func:`remember_highlighting`,
    if it highlighted any that the file lacks (so a build that highlighted nothing new writes nothing)."""
    with _lock:
        file = _state["file"]
        if file is None or not _state["dirty"]:
            return
        blocks = {digest: _known[digest] for digest in sorted(_used) if digest in _known}
        _stored.clear()
        _stored.update(blocks)
        _state["dirty"] = False
    payload = json.dumps({"versions": _versions(), "blocks": blocks}, ensure_ascii=False).encode("utf-8")
    with contextlib.suppress(OSError):  # the result cache, in the same folder, says so once
        write_entry(file, payload, _FORMAT)


def _versions() -> list[str]:
    """The packages whose versions decide the HTML: a stored block is used only under the same ones."""
    versions = []
    for package in ("pygments", "pymdown-extensions", "markdown"):
        try:
            versions.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package}=none")
    return versions


def _remembering(highlight: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(highlight)
    def remembered(self: Any, src: str, language: str, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("inline") or kwargs.get("title") is not None or getattr(self, "auto_title", False) or len(args) > 1:
            return highlight(self, src, language, *args, **kwargs)
        settings = {name: value for name, value in vars(self).items() if name != "md"}
        call = repr((src, language, args, sorted(kwargs.items()), sorted(settings.items())))
        digest = hashlib.sha256(call.encode("utf-8")).hexdigest()
        with _lock:
            html = _known.get(digest)
            if html is not None:
                _known.move_to_end(digest)
                _used.add(digest)
                if digest not in _stored:
                    _state["dirty"] = True
                return html
        html = highlight(self, src, language, *args, **kwargs)
        if isinstance(html, str):
            with _lock:
                _known[digest] = html
                _used.add(digest)
                _state["dirty"] = True
                if len(_known) > _LIMIT:
                    _used.discard(_known.popitem(last=False)[0])
        return html

    return remembered
