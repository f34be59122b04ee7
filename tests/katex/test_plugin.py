"""The offline-katex plugin in real `mkdocs build` runs, with a fake KaTeX installed in a temporary folder."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fake_katex import MakeRelease, katex_requests
from fixture_sites import FixtureSite
from offline_katex import install
from offline_katex.release import KATEX
from offline_katex.typeset import TYPESET_SCRIPT

SiteMaker = Callable[..., FixtureSite]

CONFIG = """\
site_name: fixture
theme: {name: material, font: false}
markdown_extensions:
  - pymdownx.arithmatex: {generic: %(generic)s}
plugins:
  - search
  - offline-katex:
      install_root: %(root)s
"""

PAGE = "# Math\n\nInline $a < b$, and on its own:\n\n$$\n\\frac{1}{2}\n$$\n"


def installed_site(
    site: SiteMaker, make_release: MakeRelease, tmp_path: Path, *, generic: str = "true", pages: dict[str, str] | None = None
) -> FixtureSite:
    """A fixture site whose `install_root` holds a fake KaTeX under the pinned version's name."""
    release = make_release(version=KATEX.version)
    install(release, tmp_path / "katex")
    # The plugin looks for the pinned release; give the fake one its integrity in the record.
    record = tmp_path / "katex" / KATEX.version / "offline-katex.json"
    record.write_text(record.read_text().replace(release.integrity, KATEX.integrity))
    return site(pages or {"index.md": PAGE}, config=CONFIG % {"generic": generic, "root": tmp_path / "katex"})


def test_the_build_serves_katex_and_the_typesetting_script_from_the_site(
    site: SiteMaker, make_release: MakeRelease, tmp_path: Path
) -> None:
    outcome = installed_site(site, make_release, tmp_path).build("--strict")
    assert outcome.code == 0, outcome.log
    assets = outcome.site / "assets" / "katex"
    served = sorted(path.relative_to(assets).as_posix() for path in assets.rglob("*") if path.is_file())
    assert served == ["fonts/KaTeX_Main-Regular.woff2", "fonts/KaTeX_Math-Italic.woff2", "katex.min.css", "katex.min.js", "typeset.js"]
    assert (assets / "katex.min.js").read_bytes() == (tmp_path / "katex" / KATEX.version / "katex.min.js").read_bytes()
    assert (assets / "typeset.js").read_bytes() == TYPESET_SCRIPT
    html = outcome.page("index")
    assert '<link rel="stylesheet" href="assets/katex/katex.min.css"' in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    bundle = next(index for index, script in enumerate(scripts) if "javascripts/bundle" in script)
    katex, typeset = scripts.index("assets/katex/katex.min.js"), scripts.index("assets/katex/typeset.js")
    assert bundle < katex < typeset  # Material's bundle defines document$; the script calls katex
    assert '<span class="arithmatex">\\(a &lt; b\\)</span>' in html
    assert "offline-katex" not in outcome.log  # nothing to warn about


def test_a_build_without_katex_installed_fails_and_says_how_to_install_it(site: SiteMaker, tmp_path: Path) -> None:
    empty = tmp_path / "nothing-here"
    outcome = site({"index.md": PAGE}, config=CONFIG % {"generic": "true", "root": empty}).build()
    assert outcome.code != 0
    assert f"offline-katex: KaTeX {KATEX.version} is not installed in {empty}; run: " in outcome.log
    assert re.search(rf"run: \S*python\S* -m offline_katex install --root {re.escape(str(empty))}", outcome.log), outcome.log


def test_arithmatex_without_generic_output_fails_the_build(site: SiteMaker, make_release: MakeRelease, tmp_path: Path) -> None:
    outcome = installed_site(site, make_release, tmp_path, generic="false").build()
    assert outcome.code != 0
    assert "add `- pymdownx.arithmatex: {generic: true}` to markdown_extensions" in outcome.log


def test_a_page_file_in_katexs_place_fails_the_build(site: SiteMaker, make_release: MakeRelease, tmp_path: Path) -> None:
    fixture = installed_site(site, make_release, tmp_path)
    fixture.write("docs/assets/katex/katex.min.css", "/* mine */")
    outcome = fixture.build()
    assert outcome.code != 0
    assert "assets/katex/katex.min.css is in the way of KaTeX's own" in outcome.log


def test_a_disabled_plugin_adds_nothing_and_needs_no_katex(site: SiteMaker, tmp_path: Path) -> None:
    config = CONFIG % {"generic": "true", "root": tmp_path / "nothing-here"} + "      enabled: false\n"
    outcome = site({"index.md": PAGE}, config=config).build("--strict")
    assert outcome.code == 0, outcome.log
    assert not (outcome.site / "assets" / "katex").exists()
    assert "katex" not in outcome.page("index").replace("arithmatex", "")


def test_a_built_page_without_math_asks_for_no_katex_file(site: SiteMaker, make_release: MakeRelease, tmp_path: Path) -> None:
    pages = {"index.md": "# Math\n\nInline $a < b$.\n", "plain.md": "# Plain\n\nNo formula; the word arithmatex, and a $ sign.\n"}
    outcome = installed_site(site, make_release, tmp_path, pages=pages).build("--strict")
    assert outcome.code == 0, outcome.log
    assert katex_requests(outcome.page("index")) == ["assets/katex/katex.min.css", "assets/katex/katex.min.js", "assets/katex/typeset.js"]
    plain = outcome.page("plain")
    assert katex_requests(plain) == []
    assert '["../assets/katex/katex.min.js", "../assets/katex/typeset.js"]' in plain  # the loader, for instant navigation
