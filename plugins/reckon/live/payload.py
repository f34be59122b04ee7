"""What a live page ships to the browser: its live cells and inputs, and the Python they need.

Two JSON files, fetched by the worker on the reader's first interaction:

- the **runtime** (``python.json``, one per site): reckon's pure-Python modules that run the cells
  (the very ``execution``, ``rendering``, ``table``, ``formula`` and ``literals`` the build uses),
  the worker's runner (:mod:`reckon.live.browser`), and Python-Markdown with pymdownx's arithmatex
  to turn a block's Markdown into the same HTML the build writes;
- a **page payload** (``<digest>.json``): the page's live cells, its inputs, the lines of the page
  they stand on (so a traceback names ``docs/q4.md``, line 31), and the site's local modules they
  import.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reckon.wire import CodeCell

from .analysis import Declaration

__all__ = ["RUNTIME_MODULES", "LiveCell", "page_payload", "payload_name", "runtime_bundle"]

#: The modules of reckon the browser gets (a live block may import the first six).
RUNTIME_MODULES = (
    "reckon",
    "reckon.live",
    "reckon.authoring.table",
    "reckon.authoring.formula",
    "reckon.authoring.theme",
    "reckon.authoring.latex",
    "reckon.run.execute",
    "reckon.run.figures",
    "reckon.wire",
    "reckon.page.verify",
    "reckon.run.values",
    "reckon.run.comparable",
    "reckon.limits",
    "reckon.live.browser",
    # The packages the modules above are in.
    "reckon.authoring",
    "reckon.run",
    "reckon.page",
)
#: Third-party pure-Python modules the runner needs: the whole of Python-Markdown (its extensions
#: are found by module name), and the part of pymdownx that writes math as the site does.
_MARKDOWN_PACKAGES = ("markdown",)
_MARKDOWN_MODULES = ("pymdownx", "pymdownx.__meta__", "pymdownx.util", "pymdownx.arithmatex")


@dataclass(frozen=True)
class LiveCell:
    """A cell that re-runs in the browser.

    Attributes:
        cell: The code, where it stands in the page.
        output: The block's ``output`` option (``true``, ``asis``, ``false``); ``""`` for an inline.
        literal: For a checked claim, the literal the page states.
    """

    cell: CodeCell
    output: str = ""
    literal: str | None = None


def page_payload(path: str, source: str, cells: list[LiveCell], inputs: list[Declaration], modules: dict[str, str]) -> bytes:
    """The page's payload as JSON bytes (the same page always gives the same bytes).

    Only the lines of the live cells are kept from ``source``: a traceback needs those, and the
    rest of the page (prose, code that is not live) has no business in the browser.
    """
    lines = source.split("\n")
    kept = [""] * len(lines)
    for live in cells:
        first = live.cell.line
        for number in range(first, first + live.cell.code.count("\n") + 1):
            if 0 < number <= len(lines):
                kept[number - 1] = lines[number - 1]
    data: dict[str, Any] = {
        "path": path,
        "source": "\n".join(kept),
        "inputs": [{"name": item.name, "line": item.line, **asdict(item.spec)} for item in inputs],
        "cells": [{**asdict(live.cell), "output": live.output, "literal": live.literal} for live in cells],
        "modules": dict(sorted(modules.items())),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


def payload_name(payload: bytes) -> str:
    """The file name of a payload: its digest, so a changed page never meets a cached old one."""
    return hashlib.sha256(payload).hexdigest()[:20] + ".json"


def runtime_bundle() -> bytes:
    """The Python the worker writes into Pyodide's file system before it runs a page, as JSON."""
    files: dict[str, str] = {}
    for name in (*RUNTIME_MODULES, *_MARKDOWN_MODULES):
        _add_module(name, files)
    for package in _MARKDOWN_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError(f"reckon.live: the package {package} is not installed")
        folder = Path(next(iter(spec.submodule_search_locations)))
        for path in sorted(folder.rglob("*.py")):
            files[(Path(package) / path.relative_to(folder)).as_posix()] = path.read_text(encoding="utf-8")
    return json.dumps({"files": files}, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _add_module(name: str, files: dict[str, str]) -> None:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"reckon.live: cannot find the module {name}")
    origin = Path(spec.origin)
    relative = Path(*name.split("."), "__init__.py") if origin.name == "__init__.py" else Path(*name.split(".")).with_suffix(".py")
    files[relative.as_posix()] = origin.read_text(encoding="utf-8")
