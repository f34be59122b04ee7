"""The KaTeX release the site uses, pinned by version and by the npm registry's integrity hash."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Release:
    """One npm tarball of KaTeX, and how to know it is the one we pinned.

    Attributes:
        version: The package's version, which names its install folder.
        integrity: The registry's ``dist.integrity`` (``sha512-<base64>``), as ``npm view`` prints it.
        tarball: Where the tarball is downloaded from.
    """

    version: str
    integrity: str
    tarball: str


# `npm view katex@0.19.1 dist.integrity` printed this; the installer refuses any other bytes.
KATEX = Release(
    version="0.19.1",
    integrity="sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr5614uRrEfA==",
    tarball="https://registry.npmjs.org/katex/-/katex-0.19.1.tgz",
)


def default_root() -> Path:
    """Where releases are installed: ``share/offline-katex`` in this Python environment (the venv)."""
    return Path(sys.prefix) / "share" / "offline-katex"
