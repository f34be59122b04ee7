"""The files a site with live pages serves, by path relative to the docs folder (no MkDocs here)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .page import LIVE_ASSETS
from .payload import runtime_bundle
from .runtime import PYODIDE, find_pyodide, install_command

__all__ = ["PYODIDE_ASSETS", "SCRIPT", "STYLESHEET", "MissingRuntime", "page_assets", "runtime_assets"]

SCRIPT = f"{LIVE_ASSETS}/live.js"
STYLESHEET = f"{LIVE_ASSETS}/live.css"
PYODIDE_ASSETS = "assets/reckon/pyodide"


class MissingRuntime(Exception):
    """Pyodide is not installed; the message says how to install it."""


def page_assets() -> dict[str, bytes]:
    """What every page gets: the small script that waits for the reader, its worker and its styles."""
    folder = resources.files(__package__) / "assets"
    return {f"{LIVE_ASSETS}/{name}": (folder / name).read_bytes() for name in ("live.js", "worker.js", "live.css")}


def runtime_assets(root: Path | None = None) -> dict[str, bytes | Path]:
    """What a site with a live page needs besides: reckon's Python for the browser, and Pyodide.

    Raises:
        MissingRuntime: The pinned Pyodide is not installed.
    """
    installation = find_pyodide(root)
    if installation is None:
        raise MissingRuntime(f"a page has live blocks, but Pyodide {PYODIDE.version} is not installed; run: {install_command()}")
    files: dict[str, bytes | Path] = {f"{LIVE_ASSETS}/python.json": runtime_bundle()}
    for name in installation.package.files:
        files[f"{PYODIDE_ASSETS}/{name}"] = installation.path(name)
    return files
