"""npm_pinned, which installs axe-core for the browser tests (and downloads KaTeX for offline_katex)."""

from __future__ import annotations

from pathlib import Path

import pytest

import npm_pinned.__main__ as cli
from fake_katex import integrity_of, tarball
from npm_pinned import AXE_CORE, InstallError, Package, find, install

MEMBERS = {"package/axe.min.js": b"window.axe = {};", "package/LICENSE": b"MPL-2.0", "package/axe.js": b"/* unminified */"}


def package(tmp_path: Path, members: dict[str, bytes] = MEMBERS, *, integrity: str | None = None) -> Package:
    data = tarball(members)
    path = tmp_path / "axe-core.tgz"
    path.write_bytes(data)
    return Package("axe-core", "0.0.1", integrity or integrity_of(data), path.as_uri(), ("axe.min.js", "LICENSE"))


def test_install_keeps_only_the_files_asked_for_and_a_second_run_downloads_nothing(tmp_path: Path) -> None:
    pinned = package(tmp_path)
    installed = install(pinned, tmp_path / "root")
    assert installed.folder == tmp_path / "root" / "axe-core" / "0.0.1"
    assert sorted(path.name for path in installed.folder.iterdir()) == ["LICENSE", "axe.min.js", "npm-pinned.json"]
    assert installed.path("axe.min.js").read_bytes() == b"window.axe = {};"

    def refuse(url: str) -> bytes:
        raise AssertionError(f"downloaded {url} again")

    assert install(pinned, tmp_path / "root", fetch=refuse) == installed
    assert find(pinned, tmp_path / "root") == installed


def test_other_bytes_than_the_pinned_ones_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    pinned = package(tmp_path, integrity=integrity_of(b"something else"))
    with pytest.raises(InstallError, match=r"has integrity sha512-\S+, but sha512-\S+ is pinned; refusing"):
        install(pinned, tmp_path / "root")
    assert find(pinned, tmp_path / "root") is None
    assert not (tmp_path / "root").exists()


def test_a_tarball_without_a_wanted_file_is_refused(tmp_path: Path) -> None:
    pinned = package(tmp_path, {"package/axe.min.js": b"window.axe = {};"})
    with pytest.raises(InstallError, match="lacks LICENSE under package/"):
        install(pinned, tmp_path / "root")


def test_a_changed_record_or_a_missing_file_is_no_installation(tmp_path: Path) -> None:
    pinned = package(tmp_path)
    installed = install(pinned, tmp_path / "root")
    installed.path("LICENSE").unlink()
    assert find(pinned, tmp_path / "root") is None
    assert install(pinned, tmp_path / "root").path("LICENSE").read_bytes() == b"MPL-2.0"  # installed again, whole


def test_the_command_line_installs_by_name_and_rejects_unknown_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pinned = package(tmp_path)
    monkeypatch.setitem(cli.PACKAGES, "axe-core", pinned)
    assert cli.main(["install", "axe-core", "--root", str(tmp_path / "root")]) == 0
    assert "axe-core 0.0.1" in capsys.readouterr().out
    assert find(pinned, tmp_path / "root") is not None
    with pytest.raises(SystemExit):
        cli.main(["install", "left-pad"])


def test_axe_core_is_pinned_to_a_4_x_release_from_the_npm_registry() -> None:
    assert AXE_CORE.version.startswith("4.")
    assert AXE_CORE.tarball == f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_CORE.version}.tgz"
    assert AXE_CORE.integrity.startswith("sha512-")
    assert len(AXE_CORE.integrity) == len("sha512-") + 88
