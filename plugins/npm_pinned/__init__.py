"""npm_pinned: JavaScript packages from the npm registry, pinned by version and sha512, without Node.

An npm package is a gzipped tarball at a known address, and the registry pins its sha512
(``dist.integrity``). This package downloads such a tarball, refuses any other bytes, keeps only
the files asked for, and writes them into a folder of this Python environment whole or not at all.
``offline_katex`` installs KaTeX with it; ``python -m npm_pinned install axe-core`` installs the
accessibility engine the browser tests inject into each page.
"""

from __future__ import annotations

from .fetch import Fetch, InstallError, check_integrity, fetch_url, write_folder
from .packages import AXE_CORE, PACKAGES, PYODIDE, Installed, Package, default_root, find, install

__all__ = [
    "AXE_CORE",
    "PACKAGES",
    "PYODIDE",
    "Fetch",
    "InstallError",
    "Installed",
    "Package",
    "check_integrity",
    "default_root",
    "fetch_url",
    "find",
    "install",
    "write_folder",
]
