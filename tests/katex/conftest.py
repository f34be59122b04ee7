"""Fake KaTeX releases whose tarballs are local files, reached by file:// addresses."""

from __future__ import annotations

import pytest

from fake_katex import PACKAGE, MakeRelease, integrity_of, tarball
from offline_katex import Release


@pytest.fixture
def make_release(tmp_path_factory: pytest.TempPathFactory) -> MakeRelease:
    """``make_release(members=PACKAGE, integrity=None)``: a release whose tarball is a local file."""
    registry = tmp_path_factory.mktemp("registry")
    count = 0

    def make(
        members: dict[str, bytes] = PACKAGE, *, links: dict[str, str] | None = None, integrity: str | None = None, version: str = "0.0.1"
    ) -> Release:
        nonlocal count
        count += 1
        data = tarball(members, links=links)
        path = registry / f"katex-{version}-{count}.tgz"
        path.write_bytes(data)
        return Release(version=version, integrity=integrity or integrity_of(data), tarball=path.as_uri())

    return make
