"""Download the pinned KaTeX tarball, verify it, and keep only the files a site serves.

No Node is needed: an npm package is a gzipped tarball at a known address, and its registry entry
pins the tarball's sha512. The installer fetches it with ``npm_pinned``, refuses any other bytes,
and writes the CSS, the JavaScript and the woff2 fonts into ``<root>/<version>/``, with a record of
what it wrote (``offline-katex.json``) written last, so a folder with a record is a complete
installation. A second run finds the record and downloads nothing.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

from npm_pinned.fetch import MAX_TARBALL_BYTES, Fetch, InstallError, check_integrity, fetch_url, install_folder

from .release import KATEX, Release, default_root

__all__ = [
    "MAX_TARBALL_BYTES",
    "Fetch",
    "InstallError",
    "Installation",
    "check_integrity",
    "fetch_url",
    "find_installation",
    "install",
    "site_files",
]

# What a site needs from the package's dist/ folder; auto-render and the other contrib scripts are
# not needed because the plugin's own script typesets arithmatex's elements directly.
DIST = "package/dist/"
STYLESHEET = "katex.min.css"
SCRIPT = "katex.min.js"
FONT = re.compile(r"fonts/[A-Za-z0-9_-]+\.woff2")
RECORD = "offline-katex.json"

# katex.min.css offers each font as woff2, then woff, then ttf. Every browser that runs the site
# reads woff2 and never asks for the rest, so the fallbacks are dropped with their files.
_FALLBACK = re.compile(r""",\s*url\(\s*["']?fonts/[^)"']+\.(?:woff|ttf)["']?\s*\)\s*format\(\s*["'](?:woff|truetype)["']\s*\)""")
_URL = re.compile(r"""url\(\s*["']?([^)"']+?)["']?\s*\)""")


@dataclass(frozen=True)
class Installation:
    """A complete installation of one release.

    Attributes:
        release: The release installed.
        folder: The folder holding its files.
        files: The files, relative to ``folder`` in POSIX form (``katex.min.css``, ``fonts/…``).
    """

    release: Release
    folder: Path
    files: tuple[str, ...]


def site_files(tarball: bytes) -> dict[str, bytes]:
    """The files a site serves, by path relative to KaTeX's ``dist/``, from the package tarball.

    Only regular files with names we expect are read, and their paths are ours, so nothing in the
    archive can write outside the install folder.

    Raises:
        InstallError: The tarball is unreadable, lacks the CSS, the script or any woff2 font, or its
            CSS refers to a file the installation would not hold.
    """
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for member in archive:
                name = member.name.removeprefix("./")
                if not member.isfile() or not name.startswith(DIST):
                    continue
                relative = name[len(DIST) :]
                if relative in (STYLESHEET, SCRIPT) or FONT.fullmatch(relative):
                    extracted = archive.extractfile(member)
                    if extracted is not None:
                        with extracted:
                            files[relative] = extracted.read()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise InstallError(f"the tarball cannot be read: {error}") from error
    missing = [name for name in (STYLESHEET, SCRIPT) if name not in files]
    fonts = sorted(name for name in files if name.startswith("fonts/"))
    if missing or not fonts:
        raise InstallError(f"the tarball lacks {', '.join(missing) or 'woff2 fonts'} under {DIST}")
    files[STYLESHEET] = woff2_only(files[STYLESHEET], fonts)
    return files


def woff2_only(css: bytes, fonts: list[str]) -> bytes:
    """KaTeX's stylesheet with its woff and ttf fallbacks removed.

    Raises:
        InstallError: After the removal the stylesheet still refers to a file not in ``fonts``.
    """
    text = _FALLBACK.sub("", css.decode("utf-8"))
    missing = sorted(set(_URL.findall(text)) - set(fonts))
    if missing:
        raise InstallError(f"{STYLESHEET} refers to {', '.join(missing)}, which the installation would not hold")
    return text.encode("utf-8")


def find_installation(release: Release = KATEX, root: Path | None = None) -> Installation | None:
    """The complete installation of ``release`` under ``root``, or None if there is none."""
    folder = (root if root is not None else default_root()) / release.version
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict):
        return None
    files = record.get("files")
    if (
        record.get("version") != release.version
        or record.get("integrity") != release.integrity
        or not isinstance(files, list)
        or not all(isinstance(name, str) and (folder / name).is_file() for name in files)
    ):
        return None
    return Installation(release, folder, tuple(files))


def install(release: Release = KATEX, root: Path | None = None, *, fetch: Fetch = fetch_url, force: bool = False) -> Installation:
    """Install ``release`` under ``root`` (default: this environment's share folder), unless it is.

    The files are written to a temporary folder beside the target and moved into place whole, so
    an interrupted install leaves no half-written installation behind.

    Args:
        release: What to install.
        root: The folder that holds one subfolder per installed version.
        fetch: Downloads a URL (tests pass a fake).
        force: Download and write again even if the release is installed.

    Raises:
        InstallError: The download failed or was refused, or the files could not be written.
    """
    root = root if root is not None else default_root()
    if not force and (existing := find_installation(release, root)) is not None:
        return existing
    tarball = fetch(release.tarball)
    check_integrity(tarball, release.integrity)
    files = site_files(tarball)
    target = root / release.version
    record = {
        "package": "katex",
        "version": release.version,
        "integrity": release.integrity,
        "tarball": release.tarball,
        "files": sorted(files),
    }
    record_text = json.dumps(record, indent=2) + "\n"
    return install_folder(target, files, RECORD, record_text, what="KaTeX", find=lambda: find_installation(release, root))
