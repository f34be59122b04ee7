"""Highlight each code block once per process: ``mkdocs serve`` rebuilds every page on every edit, and
Pygments would colour the same source the same way each time.

The blocks reckon shows (a page's source, ``echo: true`` or ``fold``) are highlighted by
pymdownx.highlight like any fenced code. :func:`remember_highlighting` wraps its
``Highlight.highlight`` so that a call made again with the same source, the same arguments and the
same highlighter settings (every option the site gives ``pymdownx.highlight``, the Pygments style,
line numbers, anchors, classes...) returns the HTML it returned before. Only calls whose result is
plain text are remembered: inline code (its result is an element MkDocs puts into the page) and
blocks with a title (an HTML title is stored in the page's own Markdown instance) are always
highlighted afresh.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

__all__ = ["remember_highlighting"]

_LIMIT = 4096  # blocks remembered; the least recently used is forgotten first
_lock = threading.Lock()
_MARK = "__reckon_remembers__"


def remember_highlighting() -> None:
    """Install the memory (once per process; later calls do nothing). Without pymdownx, nothing happens."""
    try:
        from pymdownx.highlight import Highlight
    except ImportError:
        return
    with _lock:
        if not getattr(Highlight.highlight, _MARK, False):
            remembered = _remembering(Highlight.highlight)
            setattr(remembered, _MARK, True)
            Highlight.highlight = remembered


def _remembering(highlight: Callable[..., Any]) -> Callable[..., Any]:
    known: OrderedDict[str, str] = OrderedDict()

    @functools.wraps(highlight)
    def remembered(self: Any, src: str, language: str, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("inline") or kwargs.get("title") is not None or getattr(self, "auto_title", False) or len(args) > 1:
            return highlight(self, src, language, *args, **kwargs)
        settings = {name: value for name, value in vars(self).items() if name != "md"}
        key = repr((src, language, args, sorted(kwargs.items()), sorted(settings.items())))
        with _lock:
            html = known.get(key)
            if html is not None:
                known.move_to_end(key)
                return html
        html = highlight(self, src, language, *args, **kwargs)
        if isinstance(html, str):
            with _lock:
                known[key] = html
                if len(known) > _LIMIT:
                    known.popitem(last=False)
        return html

    return remembered
