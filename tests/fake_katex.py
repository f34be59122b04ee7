"""Fake KaTeX tarballs shaped like the npm package, for the installer and plugin tests."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tarfile
from collections.abc import Callable

from offline_katex import Release

FONT_FACE = (
    '@font-face{font-family:KaTeX_%(name)s;src:url(fonts/KaTeX_%(name)s.woff2) format("woff2"),'
    'url(fonts/KaTeX_%(name)s.woff) format("woff"),url(fonts/KaTeX_%(name)s.ttf) format("truetype")}'
)
FONTS = ("Main-Regular", "Math-Italic")

MakeRelease = Callable[..., Release]

# As the real package lays them out: what a site needs, and what it does not.
PACKAGE: dict[str, bytes] = {
    "package/package.json": b'{"name": "katex", "version": "0.0.1"}',
    "package/dist/katex.min.css": (
        "".join(FONT_FACE % {"name": font} for font in FONTS) + ".katex{font:normal 1.21em KaTeX_Main}"
    ).encode(),
    "package/dist/katex.min.js": b"var katex={render:function(){}};",
    "package/dist/katex.js": b"/* unminified */",
    "package/dist/contrib/auto-render.min.js": b"/* auto-render */",
    "package/dist/README.md": b"# KaTeX",
    **{f"package/dist/fonts/KaTeX_{font}.{kind}": f"{font}.{kind}".encode() for font in FONTS for kind in ("woff2", "woff", "ttf")},
}


def tarball(members: dict[str, bytes], *, links: dict[str, str] | None = None) -> bytes:
    """A gzipped tarball of ``members`` (name to content), plus symbolic ``links`` (name to target)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return buffer.getvalue()


def integrity_of(data: bytes) -> str:
    """The npm ``dist.integrity`` of ``data``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def katex_requests(html: str) -> list[str]:
    """The KaTeX files a page's markup itself loads: stylesheet links and script sources."""
    return re.findall(r"""<(?:link[^>]*href|script[^>]*src)=["']([^"']*(?:katex|typeset)[^"']*)["']""", html)
