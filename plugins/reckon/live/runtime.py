"""Pyodide, the Python that runs live pages in the reader's browser: pinned, verified, served by the site.

``python -m reckon.live install`` downloads the npm registry's ``pyodide`` tarball with
:mod:`npm_pinned` (the download, sha512 check and all-or-nothing install that axe-core and KaTeX
use too), and keeps only Pyodide's core: the loader, the WebAssembly module and its JavaScript,
the standard library and the lock file. Nothing of Pyodide is committed; the built site serves
these files itself, so a live page asks no other origin for anything.
"""

from __future__ import annotations

import sys
from pathlib import Path

from npm_pinned.fetch import Fetch, InstallError, fetch_url
from npm_pinned.packages import Installed, Package, find, install

__all__ = ["CORE_FILES", "PYODIDE", "InstallError", "default_root", "find_pyodide", "install_command", "install_pyodide"]

#: What Pyodide's core loads, and all a live page needs: no package of Pyodide's own is used. The
#: loader is the ES module: Pyodide 314 runs in module workers only.
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

# `npm view pyodide@314.0.8 dist.integrity` printed this; the installer refuses any other bytes.
PYODIDE = Package(
    name="pyodide",
    version="314.0.8",
    integrity="sha512-74Wq1kXOC+CCEzAfxuRAO701nAcCMLjf8NrwvWpu8S41dVMXwXmLQ05dYB+F4e46AdnGo0oq7YHSVUpHsoarLQ==",
    tarball="https://registry.npmjs.org/pyodide/-/pyodide-314.0.8.tgz",
    files=CORE_FILES,
)


def default_root() -> Path:
    """Where Pyodide is installed: ``share/reckon-pyodide`` in this Python environment (the venv)."""
    return Path(sys.prefix) / "share" / "reckon-pyodide"


def find_pyodide(root: Path | None = None, package: Package = PYODIDE) -> Installed | None:
    """The complete installation of the pinned Pyodide, or None (also if it lacks a core file)."""
    return find(package, root if root is not None else default_root())


def install_pyodide(root: Path | None = None, *, fetch: Fetch = fetch_url, force: bool = False, package: Package = PYODIDE) -> Installed:
    """Install the pinned Pyodide under ``root`` unless it is there (an install that lacks a core file is redone).

    Raises:
        InstallError: The download failed or was refused, or the files could not be written.
    """
    return install(package, root if root is not None else default_root(), fetch=fetch, force=force)


def install_command() -> str:
    """The command that installs Pyodide for this environment."""
    return f"{sys.executable} -m reckon.live install"
