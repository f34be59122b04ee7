"""Pyodide, the Python that runs live pages in the reader's browser: pinned, verified, served by the site.

``python -m reckon.live install`` downloads the npm registry's ``pyodide`` tarball with offline-katex's
installer (the same download, sha512 check and all-or-nothing install), and keeps only Pyodide's
core: the loader, the WebAssembly module and its JavaScript, the standard library and the lock
file. Nothing of Pyodide is committed; the built site serves these files itself, so a live page
asks no other origin for anything.
"""

from __future__ import annotations

import sys
from pathlib import Path

from offline_katex.installer import Fetch, Installation, InstallError, fetch_url, find_installation, install, package_files
from offline_katex.release import Release

__all__ = ["CORE_FILES", "PYODIDE", "InstallError", "core_files", "default_root", "find_pyodide", "install_pyodide"]

# `npm view pyodide@314.0.8 dist.integrity` printed this; the installer refuses any other bytes.
PYODIDE = Release(
    version="314.0.8",
    integrity="sha512-74Wq1kXOC+CCEzAfxuRAO701nAcCMLjf8NrwvWpu8S41dVMXwXmLQ05dYB+F4e46AdnGo0oq7YHSVUpHsoarLQ==",
    tarball="https://registry.npmjs.org/pyodide/-/pyodide-314.0.8.tgz",
)
#: What Pyodide's core loads, and all a live page needs: no package of Pyodide's own is used. The
#: loader is the ES module: Pyodide 314 runs in module workers only.
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")


def default_root() -> Path:
    """Where Pyodide is installed: ``share/reckon-pyodide`` in this Python environment (the venv)."""
    return Path(sys.prefix) / "share" / "reckon-pyodide"


def core_files(tarball: bytes) -> dict[str, bytes]:
    """Pyodide's core files from the package tarball.

    Raises:
        InstallError: The tarball is unreadable or lacks one of :data:`CORE_FILES`.
    """
    files = package_files(tarball, "package/", lambda name: name in CORE_FILES)
    missing = [name for name in CORE_FILES if name not in files]
    if missing:
        raise InstallError(f"the pyodide tarball lacks {', '.join(missing)}")
    return files


def find_pyodide(root: Path | None = None, release: Release = PYODIDE) -> Installation | None:
    """The complete installation of the pinned Pyodide, or None (also if it lacks a core file)."""
    installation = find_installation(release, root if root is not None else default_root())
    if installation is None or not set(CORE_FILES) <= set(installation.files):
        return None
    return installation


def install_pyodide(root: Path | None = None, *, fetch: Fetch = fetch_url, force: bool = False, release: Release = PYODIDE) -> Installation:
    """Install the pinned Pyodide under ``root`` unless it is there.

    Raises:
        InstallError: The download failed or was refused, or the files could not be written.
    """
    root = root if root is not None else default_root()
    force = force or (
        find_installation(release, root) is not None and find_pyodide(root, release) is None
    )  # an install that lacks a core file
    return install(release, root, fetch=fetch, force=force, select=core_files, package="pyodide")


def install_command() -> str:
    """The command that installs Pyodide for this environment."""
    return f"{sys.executable} -m reckon.live install"
