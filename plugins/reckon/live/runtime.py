"""Pyodide, the Python that runs live pages in the reader's browser: pinned, verified, served by the site.

``python -m npm_pinned install pyodide`` downloads the npm registry's ``pyodide`` tarball (the
download, sha512 check and all-or-nothing install that axe-core uses too) and keeps only Pyodide's
core (:data:`npm_pinned.PYODIDE`). Nothing of Pyodide is committed; the built site serves these
files itself, so a live page asks no other origin for anything.
"""

from __future__ import annotations

import sys
from pathlib import Path

from npm_pinned.fetch import Fetch, InstallError, fetch_url
from npm_pinned.packages import PYODIDE, Installed, Package, find, install

__all__ = ["CORE_FILES", "PYODIDE", "InstallError", "find_pyodide", "install_command", "install_pyodide"]

#: What Pyodide's core loads, and all a live page needs.
CORE_FILES = PYODIDE.files


def find_pyodide(root: Path | None = None, package: Package = PYODIDE) -> Installed | None:
    """The complete installation of the pinned Pyodide (under ``root``, default: this environment's), or None."""
    return find(package, root)


def install_pyodide(root: Path | None = None, *, fetch: Fetch = fetch_url, force: bool = False, package: Package = PYODIDE) -> Installed:
    """Install the pinned Pyodide under ``root`` unless it is there (an install that lacks a core file is redone).

    Raises:
        InstallError: The download failed or was refused, or the files could not be written.
    """
    return install(package, root, fetch=fetch, force=force)


def install_command() -> str:
    """The command that installs Pyodide for this environment."""
    return f"{sys.executable} -m npm_pinned install pyodide"
