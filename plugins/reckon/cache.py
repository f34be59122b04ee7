"""Keep page results between builds, keyed by the page's code, never its prose.

A result is found by its program's key (code, reckon's version, the versions of Python, NumPy and
matplotlib) and is used only if every project file the code imported or opened still has the
content it had (a file it tried to open and did not find must still be missing; after a failed
import, the folders searched must list the same files). A failure, a timeout included, is a result
like any other, so that a prose edit does not run a hanging page again; but it is used only under
the limits it ran under (``conditions``: a timeout raised runs the page again). An entry is two
JSON lines, a header with the checksum of the second line's bytes and the result itself, written
atomically (a temporary file renamed into place), so a crash mid-write or two builds writing at
once leave either the old entry or the new one; an entry that is truncated or corrupt fails its
checksum and is recomputed. A folder that cannot be written turns the disk cache off with one
warning; the build goes on.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import sys
import tempfile
import threading
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from .wire import ABSENT, PageProgram, ProgramResult, listing_digest

__all__ = ["ResultCache", "checked_payload", "environment_signature", "read_entry", "write_entry"]

_FORMAT = 3


@functools.lru_cache(maxsize=1)
def environment_signature() -> str:
    """What besides the code decides a result: reckon's own code, Python's version, NumPy's, matplotlib's.

    reckon counts by the content of its source, not its version number: a change to how values
    render or figures draw changes results, and nobody bumps a version for that while developing.
    """
    from . import __version__

    versions = [f"reckon={__version__}+{_engine_digest()}", f"python={sys.version.split()[0]}", f"platform={platform.machine()}"]
    for package in ("numpy", "matplotlib"):
        try:
            versions.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package}=none")
    return ";".join(versions)


_PACKAGE = Path(__file__).resolve().parent


def _engine_digest(package: Path = _PACKAGE) -> str:
    """A digest of every source file of reckon's own package (or of the folder ``package``)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class ResultCache:
    """Results in memory and, when ``directory`` is given, on disk.

    Args:
        directory: Where entries are stored, or ``None`` for memory only.
        project_dir: What dependency paths are relative to.
        warn: Called once with a message if the directory cannot be used.
        conditions: The limits pages run under (timeout, memory, CPU time); a stored failure is
            used only under the same ones.
        variant: What else decides every result (the folder pages run in): part of every key.
    """

    def __init__(
        self,
        directory: Path | None,
        project_dir: Path,
        warn: Callable[[str], None] = lambda message: None,
        conditions: str = "",
        variant: str = "",
    ) -> None:
        self.directory = directory
        self.project_dir = project_dir
        self.conditions = conditions
        self.variant = variant
        self._warn = warn
        self._memory: dict[str, ProgramResult] = {}
        self._digests: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()

    def is_empty(self) -> bool:
        """Whether no result is stored at all (a cold build: every page will run)."""
        if self._memory:
            return False
        return self.directory is None or next(self.directory.glob("*/*.jsonl"), None) is None

    def key(self, program: PageProgram) -> str:
        """The key of ``program``'s result."""
        return program.cache_key(f"{environment_signature()};{self.variant}" if self.variant else environment_signature())

    def get(self, program: PageProgram) -> ProgramResult | None:
        """The stored result of ``program``, if there is one and it is still valid."""
        key = self.key(program)
        with self._lock:
            result = self._memory.get(key)
        if result is None and self.directory is not None:
            result = self._read(key)
        if result is None or not self.unchanged(result.dependencies):
            return None
        lines = tuple(cell.line for cell in program.cells)
        if result.mentions_lines and result.lines != lines:
            # The same code, moved by a prose edit above it: the lines it quotes move with it.
            result = result.relocated(lines, program.path)
        with self._lock:
            self._memory[key] = result
        return result

    def put(self, program: PageProgram, result: ProgramResult) -> None:
        """Store ``result``, failed or not."""
        key = self.key(program)
        with self._lock:
            self._memory[key] = result
        if self.directory is not None:
            self._write(key, result)

    def unchanged(self, dependencies: tuple[tuple[str, str], ...]) -> bool:
        """Whether every ``(path, sha256)`` of ``dependencies`` still has that content."""
        return all(self._digest(path) == digest for path, digest in dependencies)

    def _digest(self, relative: str) -> str | None:
        path = self.project_dir / relative
        if relative.endswith("/"):
            return listing_digest(str(path))
        try:
            status = path.stat()
        except FileNotFoundError:
            return ABSENT
        except OSError:
            return None
        signature = (str(path), status.st_mtime_ns, status.st_size)
        with self._lock:
            known = self._digests.get(signature)
        if known is None:
            try:
                known = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                return None
            with self._lock:
                self._digests[signature] = known
        return known

    def _entry_path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / key[:2] / f"{key}.jsonl"

    def _read(self, key: str) -> ProgramResult | None:
        checked = read_entry(self._entry_path(key), _FORMAT)
        if checked is None:
            return None
        header, payload = checked
        try:
            result = ProgramResult.from_data(json.loads(payload))
            return None if result.failed and header.get("conditions") != self.conditions else result
        except (ValueError, KeyError, TypeError, AttributeError):
            return None  # truncated or corrupt: recompute, never trust

    def _write(self, key: str, result: ProgramResult) -> None:
        try:
            payload = json.dumps(result.to_data(), ensure_ascii=False).encode("utf-8")
        except (TypeError, ValueError) as error:  # not JSON data: keep it in memory only
            self._warn(f"a result could not be stored in the cache ({error}); it will run again next build")
            return
        directory = self.directory
        if directory is None:
            return
        try:
            write_entry(directory / key[:2] / f"{key}.jsonl", payload, _FORMAT, conditions=self.conditions)
        except OSError as error:
            with self._lock:  # pages finish in several threads at once: one warning, from the first
                first, self.directory = self.directory is not None, None
            if first:
                self._warn(f"the cache folder {directory} cannot be written ({error.strerror or error}); building without a disk cache")


def read_entry(path: Path, format_: int) -> tuple[dict[str, Any], bytes] | None:
    """The header and payload of the entry at ``path``, or ``None`` if it is missing, unreadable or unsound."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return checked_payload(raw, format_)


def checked_payload(raw: bytes, format_: int) -> tuple[dict[str, Any], bytes] | None:
    """The header and payload of an entry read as ``raw``, or ``None`` unless the header's format and checksum hold."""
    header, _newline, payload = raw.partition(b"\n")
    try:
        entry = json.loads(header)
    except ValueError:
        return None
    if not isinstance(entry, dict) or entry.get("format") != format_ or entry.get("checksum") != hashlib.sha256(payload).hexdigest():
        return None
    return entry, payload


def write_entry(target: Path, payload: bytes, format_: int, **fields: str) -> None:
    """Write an entry atomically: a header with the payload's checksum (and ``fields``), then the payload, renamed into place."""
    header = json.dumps({"format": format_, "checksum": hashlib.sha256(payload).hexdigest(), **fields}).encode()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(header + b"\n" + payload)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
