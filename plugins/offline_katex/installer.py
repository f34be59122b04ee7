"""Download the pinned KaTeX tarball, verify it, and keep only the files a site serves.

No Node is needed: an npm package is a gzipped tarball at a known address, and its registry entry
pins the tarball's sha512. The installer fetches it, refuses any other bytes, and writes the CSS,
the JavaScript and the woff2 fonts into ``<root>/<version>/``, with a record of what it wrote
(``offline-katex.json``) written last, so a folder with a record is a complete installation. A
second run finds the record and downloads nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .release import KATEX, Release, default_root

# What a site needs from the package's dist/ folder; auto-render and the other contrib scripts are
# not needed because the plugin's own script typesets arithmatex's elements directly.
DIST = "package/dist/"
STYLESHEET = "katex.min.css"
SCRIPT = "katex.min.js"
FONT = re.compile(r"fonts/[A-Za-z0-9_-]+\.woff2")
RECORD = "offline-katex.json"
MAX_TARBALL_BYTES = 32 * 1024 * 1024  # katex 0.19.1 is 1.5 MB; anything near this is not KaTeX

# katex.min.css offers each font as woff2, then woff, then ttf. Every browser that runs the site
# reads woff2 and never asks for the rest, so the fallbacks are dropped with their files.
_FALLBACK = re.compile(r""",\s*url\(\s*["']?fonts/[^)"']+\.(?:woff|ttf)["']?\s*\)\s*format\(\s*["'](?:woff|truetype)["']\s*\)""")
_URL = re.compile(r"""url\(\s*["']?([^)"']+?)["']?\s*\)""")

Fetch = Callable[[str], bytes]
#: Picks the files to install out of a package's tarball, by path relative to the install folder.
Select = Callable[[bytes], dict[str, bytes]]


class InstallError(Exception):
    """KaTeX could not be installed: the message says why and what to do."""


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


def fetch_url(url: str) -> bytes:
    """Download ``url`` whole (``HTTPS_PROXY`` and friends are honoured by urllib).

    Raises:
        InstallError: The download failed or is implausibly large.
    """
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data: bytes = response.read(MAX_TARBALL_BYTES + 1)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InstallError(f"could not download {url}: {reason}") from error
    if len(data) > MAX_TARBALL_BYTES:
        raise InstallError(f"{url} is larger than {MAX_TARBALL_BYTES} bytes; refusing it")
    return data


def check_integrity(data: bytes, integrity: str) -> None:
    """Raise unless ``data`` has the npm ``integrity`` (``sha512-<base64 digest>``).

    Raises:
        InstallError: The digest differs, or the integrity is not a sha512 one.
    """
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512" or not expected:
        raise InstallError(f"the pinned integrity {integrity!r} is not of the form sha512-<base64>")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if not hmac.compare_digest(actual, expected):
        raise InstallError(
            f"the downloaded tarball has integrity sha512-{actual}, but {integrity} is pinned; "
            "refusing to install it (a tampered mirror, a proxy that rewrote it, or a wrong pin)"
        )


def package_files(tarball: bytes, folder: str, keep: Callable[[str], bool]) -> dict[str, bytes]:
    """The regular files under ``folder`` of an npm tarball whose relative names ``keep`` accepts.

    Only regular files with names we expect are read, and their paths are ours, so nothing in the
    archive can write outside the install folder.

    Raises:
        InstallError: The tarball is unreadable.
    """
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for member in archive:
                name = member.name.removeprefix("./")
                if not member.isfile() or not name.startswith(folder):
                    continue
                relative = name[len(folder) :]
                if keep(relative):
                    extracted = archive.extractfile(member)
                    if extracted is not None:
                        with extracted:
                            files[relative] = extracted.read()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise InstallError(f"the tarball cannot be read: {error}") from error
    return files


def site_files(tarball: bytes) -> dict[str, bytes]:
    """The files a site serves, by path relative to KaTeX's ``dist/``, from the package tarball.

    Raises:
        InstallError: The tarball is unreadable, lacks the CSS, the script or any woff2 font, or its
            CSS refers to a file the installation would not hold.
    """
    files = package_files(tarball, DIST, lambda relative: relative in (STYLESHEET, SCRIPT) or FONT.fullmatch(relative) is not None)
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


def install(
    release: Release = KATEX,
    root: Path | None = None,
    *,
    fetch: Fetch = fetch_url,
    force: bool = False,
    select: Select = site_files,
    package: str = "katex",
) -> Installation:
    """Install ``release`` under ``root`` (default: this environment's share folder), unless it is.

    The files are written to a temporary folder beside the target and moved into place whole, so
    an interrupted install leaves no half-written installation behind. Other npm packages install
    the same way with their own ``select`` (reckon's live pages install Pyodide with it).

    Args:
        release: What to install.
        root: The folder that holds one subfolder per installed version.
        fetch: Downloads a URL (tests pass a fake).
        force: Download and write again even if the release is installed.
        select: Picks the files to keep out of the verified tarball (default: KaTeX's site files).
        package: The npm package's name, for the record and messages.

    Raises:
        InstallError: The download failed or was refused, or the files could not be written.
    """
    root = root if root is not None else default_root()
    if not force and (existing := find_installation(release, root)) is not None:
        return existing
    tarball = fetch(release.tarball)
    check_integrity(tarball, release.integrity)
    files = select(tarball)
    target = root / release.version
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{release.version}-", dir=root))
    except OSError as error:
        raise InstallError(f"cannot write to {root}: {error}") from error
    try:
        for name, content in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(content)
        record = {
            "package": package,
            "version": release.version,
            "integrity": release.integrity,
            "tarball": release.tarball,
            "files": sorted(files),
        }
        (staging / RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp makes it private; the served files are public anyway
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except OSError as error:
        # Another install may have finished first; its result is as good as ours.
        if (done := find_installation(release, root)) is not None:
            return done
        raise InstallError(f"cannot write {package} into {target}: {error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    installation = find_installation(release, root)
    if installation is None:  # pragma: no cover - only if the folder changed under us
        raise InstallError(f"{package} was written to {target} but is not complete there")
    return installation
