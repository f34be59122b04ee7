"""Installing Pyodide for live pages: npm_pinned's installer with Pyodide's core files, on fake tarballs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_katex import integrity_of, tarball
from npm_pinned.packages import RECORD, Package
from reckon.live.runtime import CORE_FILES, PYODIDE, InstallError, find_pyodide, install_pyodide
from reckon.live.site import PYODIDE_ASSETS, MissingRuntime, runtime_assets

# Shaped like the npm package: the core, and what a site does not need.
PACKAGE = {
    **{f"package/{name}": f"/* {name} */".encode() for name in CORE_FILES},
    "package/pyodide.js": b"/* the classic loader: not used */",
    "package/pyodide.d.ts": b"// types",
    "package/console.html": b"<html></html>",
    "package/package.json": b'{"name": "pyodide"}',
}


def release_of(data: bytes, version: str = "314.0.8") -> Package:
    return Package("pyodide", version, integrity_of(data), f"https://registry.example/pyodide-{version}.tgz", CORE_FILES)


def test_the_pin_is_an_npm_sha512_integrity_of_the_registry_s_tarball() -> None:
    assert PYODIDE.integrity.startswith("sha512-")
    assert PYODIDE.tarball == f"https://registry.npmjs.org/pyodide/-/pyodide-{PYODIDE.version}.tgz"


def test_only_pyodide_s_core_is_installed_once_and_recorded_as_pyodide(tmp_path: Path) -> None:
    data = tarball(PACKAGE)
    asked: list[str] = []

    def fetch(url: str) -> bytes:
        asked.append(url)
        return data

    release = release_of(data)
    installation = install_pyodide(tmp_path, fetch=fetch, package=release)
    assert set(installation.package.files) == set(CORE_FILES)
    on_disk = {path.name for path in installation.folder.iterdir()}
    assert on_disk == {*CORE_FILES, RECORD}
    assert json.loads((installation.folder / RECORD).read_text())["package"] == "pyodide"
    install_pyodide(tmp_path, fetch=fetch, package=release)
    assert asked == [release.tarball]  # the second call found the installation


def test_a_tarball_that_is_not_the_pinned_one_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    pinned = release_of(b"something else")
    with pytest.raises(InstallError, match="refusing to install it"):
        install_pyodide(tmp_path, fetch=lambda url: tarball(PACKAGE), package=pinned)
    assert list(tmp_path.iterdir()) == []


def test_a_tarball_without_a_core_file_is_refused(tmp_path: Path) -> None:
    data = tarball({name: content for name, content in PACKAGE.items() if name != "package/pyodide.asm.wasm"})
    with pytest.raises(InstallError, match=r"lacks pyodide\.asm\.wasm"):
        install_pyodide(tmp_path, fetch=lambda url: data, package=release_of(data))


def test_a_site_with_a_live_page_and_no_pyodide_is_told_how_to_install_it(tmp_path: Path) -> None:
    assert find_pyodide(tmp_path) is None
    with pytest.raises(MissingRuntime, match=r"Pyodide \S+ is not installed; run: \S+ -m npm_pinned install pyodide"):
        runtime_assets(tmp_path)


def test_the_site_serves_the_installed_core_and_reckon_s_python_for_the_browser(tmp_path: Path) -> None:
    data = tarball(PACKAGE)
    # runtime_assets looks for the pinned release; install a fake under its version and integrity.
    pinned = PYODIDE
    with pytest.raises(InstallError):
        install_pyodide(tmp_path, fetch=lambda url: data, package=pinned)  # the fake is not the pinned tarball
    installation = install_pyodide(tmp_path, fetch=lambda url: data, package=release_of(data, PYODIDE.version))
    record = installation.folder / RECORD
    record.write_text(json.dumps({**json.loads(record.read_text()), "integrity": PYODIDE.integrity}))
    assets = runtime_assets(tmp_path)
    assert {uri for uri in assets if uri.startswith(PYODIDE_ASSETS)} == {f"{PYODIDE_ASSETS}/{name}" for name in CORE_FILES}
    assert isinstance(assets["assets/reckon/live/python.json"], bytes)
