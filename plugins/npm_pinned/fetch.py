"""Download a pinned npm tarball, check its sha512, and write files into a folder atomically."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")  # what an installer calls an installation

MAX_TARBALL_BYTES = 32 * 1024 * 1024  # katex 0.19.1 is 1.5 MB, axe-core 4.14 is 0.6 MB; anything near this is neither

Fetch = Callable[[str], bytes]


class InstallError(Exception):
    """A package could not be installed: the message says why and what to do."""


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


def write_folder(target: Path, files: Mapping[str, bytes], record_name: str, record: str, *, what: str) -> None:
    """Write ``files`` (relative POSIX paths) and then ``record`` into ``target``, replacing it whole.

    The files go to a temporary folder beside ``target`` that is moved into place at the end, so
    an interrupted install leaves no half-written folder; the record, written last, marks a
    complete one. If the move fails because another install finished first, its folder stays.

    Raises:
        InstallError: The folder could not be written (the message names ``what``).
    """
    root = target.parent
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=root))
    except OSError as error:
        raise InstallError(f"cannot write to {root}: {error}") from error
    try:
        for name, content in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(content)
        (staging / record_name).write_text(record, encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp makes it private; the files are public anyway
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except OSError as error:
        raise InstallError(f"cannot write {what} into {target}: {error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def install_folder(
    target: Path, files: Mapping[str, bytes], record_name: str, record: str, *, what: str, find: Callable[[], T | None]
) -> T:
    """Write the folder (:func:`write_folder`) and return the complete installation that ``find`` then sees.

    If the write fails but another install finished first, that installation is as good as ours.

    Raises:
        InstallError: The folder could not be written, or is not complete once written.
    """
    try:
        write_folder(target, files, record_name, record, what=what)
    except InstallError:
        if (done := find()) is not None:
            return done
        raise
    installed = find()
    if installed is None:  # pragma: no cover - only if the folder changed under us
        raise InstallError(f"{what} was written to {target} but is not complete there")
    return installed
