"""The packages installed by name (``python -m npm_pinned install axe-core``), and where they go."""

from __future__ import annotations

import io
import json
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

from .fetch import Fetch, InstallError, check_integrity, fetch_url, install_folder

RECORD = "npm-pinned.json"


@dataclass(frozen=True)
class Package:
    """One npm tarball, how to know it is the one pinned, and the files kept from it.

    Attributes:
        name: The package's name on the registry.
        version: Its version, which names its install folder.
        integrity: The registry's ``dist.integrity`` (``sha512-<base64>``), as ``npm view`` prints it.
        tarball: Where the tarball is downloaded from.
        files: The files kept, relative to the tarball's ``package/`` folder.
    """

    name: str
    version: str
    integrity: str
    tarball: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Installed:
    """A complete installation: the package and the folder holding its files."""

    package: Package
    folder: Path

    def path(self, name: str) -> Path:
        """The installed file ``name`` (one of the package's ``files``)."""
        return self.folder / name


# `npm view axe-core@4.14.1 dist.integrity` printed this; the installer refuses any other bytes.
AXE_CORE = Package(
    name="axe-core",
    version="4.14.1",
    integrity="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
    tarball="https://registry.npmjs.org/axe-core/-/axe-core-4.14.1.tgz",
    files=("axe.min.js", "LICENSE"),
)

# Pyodide's core, and all that reckon's live pages need of it (no package of Pyodide's own): the
# ES-module loader (Pyodide 314 runs in module workers only), the WebAssembly module and its
# JavaScript, the standard library and the lock file. `npm view pyodide@314.0.8 dist.integrity`.
PYODIDE = Package(
    name="pyodide",
    version="314.0.8",
    integrity="sha512-74Wq1kXOC+CCEzAfxuRAO701nAcCMLjf8NrwvWpu8S41dVMXwXmLQ05dYB+F4e46AdnGo0oq7YHSVUpHsoarLQ==",
    tarball="https://registry.npmjs.org/pyodide/-/pyodide-314.0.8.tgz",
    files=("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"),
)

PACKAGES = {package.name: package for package in (AXE_CORE, PYODIDE)}


def default_root() -> Path:
    """Where packages are installed: ``share/npm-pinned`` in this Python environment (the venv)."""
    return Path(sys.prefix) / "share" / "npm-pinned"


def _folder(package: Package, root: Path | None) -> Path:
    return (root if root is not None else default_root()) / package.name / package.version


def find(package: Package, root: Path | None = None) -> Installed | None:
    """The complete installation of ``package`` under ``root``, or None if there is none."""
    folder = _folder(package, root)
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(record, dict)
        or record.get("integrity") != package.integrity
        or record.get("files") != list(package.files)
        or not all((folder / name).is_file() for name in package.files)
    ):
        return None
    return Installed(package, folder)


def members(tarball: bytes, wanted: tuple[str, ...]) -> dict[str, bytes]:
    """The regular files ``wanted`` (relative to ``package/``) from an npm tarball.

    Only names we ask for are read, and the paths written are ours, so nothing in the archive
    can write outside the install folder.

    Raises:
        InstallError: The tarball is unreadable or lacks one of the files.
    """
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for member in archive:
                name = member.name.removeprefix("./").removeprefix("package/")
                if member.isfile() and name in wanted and (extracted := archive.extractfile(member)) is not None:
                    with extracted:
                        found[name] = extracted.read()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise InstallError(f"the tarball cannot be read: {error}") from error
    missing = [name for name in wanted if name not in found]
    if missing:
        raise InstallError(f"the tarball lacks {', '.join(missing)} under package/")
    return found


def install(package: Package, root: Path | None = None, *, fetch: Fetch = fetch_url, force: bool = False) -> Installed:
    """Install ``package`` under ``root`` (default: this environment's share folder), unless it is.

    Raises:
        InstallError: The download failed or was refused, or the files could not be written.
    """
    if not force and (existing := find(package, root)) is not None:
        return existing
    tarball = fetch(package.tarball)
    check_integrity(tarball, package.integrity)
    files = members(tarball, package.files)
    record = {
        "package": package.name,
        "version": package.version,
        "integrity": package.integrity,
        "tarball": package.tarball,
        "files": list(package.files),
    }
    record_text = json.dumps(record, indent=2) + "\n"
    return install_folder(_folder(package, root), files, RECORD, record_text, what=package.name, find=lambda: find(package, root))
