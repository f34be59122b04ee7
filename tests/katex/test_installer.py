"""offline_katex's installer on fake tarballs from file:// addresses: verify, keep only what a site serves, once."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import offline_katex.__main__ as cli
from fake_katex import FONTS, PACKAGE, MakeRelease, integrity_of
from offline_katex import KATEX, InstallError, Release, find_installation, install
from offline_katex.installer import fetch_url

SITE_FILES = {"katex.min.css", "katex.min.js", *(f"fonts/KaTeX_{font}.woff2" for font in FONTS)}


def counting(fetch: Callable[[str], bytes] = fetch_url) -> tuple[Callable[[str], bytes], list[str]]:
    """A fetch that records the addresses it was asked for."""
    asked: list[str] = []

    def counted(url: str) -> bytes:
        asked.append(url)
        return fetch(url)

    return counted, asked


def test_install_keeps_only_the_css_the_script_and_the_woff2_fonts(make_release: MakeRelease, tmp_path: Path) -> None:
    release = make_release()
    installation = install(release, tmp_path / "share")
    assert installation.folder == tmp_path / "share" / release.version
    assert set(installation.files) == SITE_FILES
    on_disk = {path.relative_to(installation.folder).as_posix() for path in installation.folder.rglob("*") if path.is_file()}
    assert on_disk == SITE_FILES | {"offline-katex.json"}
    for name in SITE_FILES - {"katex.min.css"}:
        assert (installation.folder / name).read_bytes() == PACKAGE[f"package/dist/{name}"]
    record = json.loads((installation.folder / "offline-katex.json").read_text())
    assert (record["version"], record["integrity"], record["files"]) == (release.version, release.integrity, sorted(SITE_FILES))


def test_the_stylesheet_keeps_only_woff2_sources_and_each_is_installed(make_release: MakeRelease, tmp_path: Path) -> None:
    installation = install(make_release(), tmp_path)
    css = (installation.folder / "katex.min.css").read_text()
    sources = re.findall(r"url\(([^)]*)\)", css)
    assert sorted(sources) == sorted(f"fonts/KaTeX_{font}.woff2" for font in FONTS)
    assert 'format("woff2")' in css and "truetype" not in css and 'format("woff")' not in css
    assert css.endswith(".katex{font:normal 1.21em KaTeX_Main}")  # the rest of the stylesheet is untouched


def test_a_tarball_with_another_integrity_is_refused_and_nothing_is_written(make_release: MakeRelease, tmp_path: Path) -> None:
    pinned = make_release(integrity="sha512-" + base64.b64encode(bytes(64)).decode())
    with pytest.raises(InstallError, match=r"has integrity sha512-\S+, but sha512-AAAA\S+ is pinned; refusing"):
        install(pinned, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_pin_that_is_not_sha512_is_refused(make_release: MakeRelease, tmp_path: Path) -> None:
    sha1 = make_release(integrity="sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=")
    with pytest.raises(InstallError, match="not of the form sha512-"):
        install(sha1, tmp_path)


def test_a_second_install_downloads_nothing_and_returns_the_same_installation(make_release: MakeRelease, tmp_path: Path) -> None:
    release = make_release()
    fetch, asked = counting()
    first = install(release, tmp_path, fetch=fetch)
    second = install(release, tmp_path, fetch=fetch)
    assert asked == [release.tarball]
    assert second == first


def test_force_downloads_again(make_release: MakeRelease, tmp_path: Path) -> None:
    release = make_release()
    fetch, asked = counting()
    install(release, tmp_path, fetch=fetch)
    install(release, tmp_path, fetch=fetch, force=True)
    assert asked == [release.tarball] * 2
    assert [path.name for path in tmp_path.iterdir()] == [release.version]  # no staging folder left over


def test_an_installation_missing_a_file_is_not_found_and_is_replaced(make_release: MakeRelease, tmp_path: Path) -> None:
    release = make_release()
    installation = install(release, tmp_path)
    (installation.folder / "fonts" / "KaTeX_Math-Italic.woff2").unlink()
    assert find_installation(release, tmp_path) is None
    fetch, asked = counting()
    again = install(release, tmp_path, fetch=fetch)
    assert asked == [release.tarball]
    assert (again.folder / "fonts" / "KaTeX_Math-Italic.woff2").is_file()


@pytest.mark.parametrize("record", ["not json", '["a list"]', '{"version": "0.0.1", "integrity": "sha512-other", "files": []}'])
def test_a_damaged_or_foreign_record_is_not_an_installation(make_release: MakeRelease, tmp_path: Path, record: str) -> None:
    release = make_release()
    installation = install(release, tmp_path)
    (installation.folder / "offline-katex.json").write_text(record)
    assert find_installation(release, tmp_path) is None


def test_another_version_is_not_found(make_release: MakeRelease, tmp_path: Path) -> None:
    install(make_release(), tmp_path)
    assert find_installation(make_release(version="0.0.2"), tmp_path) is None


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("package/dist/katex.min.js", "lacks katex.min.js"),
        ("package/dist/katex.min.css", "lacks katex.min.css"),
        ("package/dist/fonts/", "lacks woff2 fonts"),
    ],
)
def test_a_tarball_without_what_a_site_needs_is_refused(make_release: MakeRelease, tmp_path: Path, missing: str, message: str) -> None:
    members = {name: content for name, content in PACKAGE.items() if not name.startswith(missing)}
    with pytest.raises(InstallError, match=message):
        install(make_release(members), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_stylesheet_that_needs_a_font_without_woff2_is_refused(make_release: MakeRelease, tmp_path: Path) -> None:
    members = {
        **PACKAGE,
        "package/dist/katex.min.css": PACKAGE["package/dist/katex.min.css"] + b'@font-face{src:url(fonts/Extra.ttf) format("truetype")}',
    }
    with pytest.raises(InstallError, match=r"katex.min.css refers to fonts/Extra.ttf"):
        install(make_release(members), tmp_path)


def test_names_and_links_that_leave_the_folder_are_never_written(make_release: MakeRelease, tmp_path: Path) -> None:
    members = {
        **PACKAGE,
        "package/dist/fonts/../../../escaped.woff2": b"outside",
        "package/dist/fonts/sub/KaTeX_Deep.woff2": b"nested",
    }
    links = {"package/dist/fonts/KaTeX_Link.woff2": "/etc/passwd"}
    installation = install(make_release(members, links=links), tmp_path / "share")
    assert set(installation.files) == SITE_FILES
    assert [path.name for path in tmp_path.rglob("*") if "escaped" in path.name or "Link" in path.name] == []


def test_a_link_in_place_of_the_script_is_refused(make_release: MakeRelease, tmp_path: Path) -> None:
    members = {name: content for name, content in PACKAGE.items() if name != "package/dist/katex.min.js"}
    with pytest.raises(InstallError, match=r"lacks katex\.min\.js"):
        install(make_release(members, links={"package/dist/katex.min.js": "/etc/passwd"}), tmp_path)


def test_bytes_that_are_no_tarball_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "katex.tgz"
    path.write_bytes(b"<html>a captive portal</html>")
    release = Release("0.0.1", integrity_of(path.read_bytes()), path.as_uri())
    with pytest.raises(InstallError, match="cannot be read"):
        install(release, tmp_path / "share")


def test_a_failed_download_says_which_address(tmp_path: Path) -> None:
    address = (tmp_path / "absent.tgz").as_uri()
    with pytest.raises(InstallError, match=f"could not download {re.escape(address)}"):
        fetch_url(address)


def test_the_pinned_release_is_an_npm_tarball_with_a_sha512_integrity() -> None:
    assert KATEX.tarball == f"https://registry.npmjs.org/katex/-/katex-{KATEX.version}.tgz"
    algorithm, _, digest = KATEX.integrity.partition("-")
    assert algorithm == "sha512" and len(base64.b64decode(digest, validate=True)) == 64


def test_the_command_installs_then_finds_it_installed(
    make_release: MakeRelease, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    release = make_release()
    monkeypatch.setattr(cli, "KATEX", release)
    assert cli.main(["install", "--root", str(tmp_path / "share")]) == 0
    assert f"installed in {tmp_path / 'share' / release.version}, 4 files" in capsys.readouterr().out
    assert cli.main(["install", "--root", str(tmp_path / "share")]) == 0
    assert "is already installed in" in capsys.readouterr().out


def test_the_command_reports_a_refusal_and_fails(
    make_release: MakeRelease, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "KATEX", make_release(integrity="sha512-" + base64.b64encode(bytes(64)).decode()))
    assert cli.main(["install", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("offline-katex: the downloaded tarball has integrity sha512-")
