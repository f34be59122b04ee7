"""The cache across real builds: prose edits run nothing, code edits run only their page, imported
local modules and opened data files count as code, and a damaged cache is recomputed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fixture_sites import FixtureSite

SiteMaker = Callable[..., FixtureSite]

PAGES = {
    "a.md": "# A\n\n```{python}\nimport helpers\nvalue = helpers.SCALE * 2\n```\n\nA is `{python} value = 6`.\n",
    "b.md": (
        "# B\n\n```{python}\nfrom pathlib import Path\nrows = Path('data.txt').read_text().split()\n```\n\n"
        "B has `{python} len(rows) = 2` rows.\n"
    ),
    "c.md": "# C\n\n```{python}\nc = 40 + 2\n```\n\nC is `{python} c = 42`.\n",
}


def make(site: SiteMaker) -> FixtureSite:
    fixture = site(PAGES, cache=True)
    fixture.write("helpers.py", "SCALE = 3\n")
    fixture.write("docs/data.txt", "x y\n")  # beside the page, which runs in its own folder
    first = fixture.build()
    assert first.code == 0, first.log
    assert first.ran == (3, 0)
    return fixture


def test_a_second_build_runs_nothing(site: SiteMaker) -> None:
    fixture = make(site)
    again = fixture.build()
    assert again.code == 0 and again.ran == (0, 3)
    assert "C is 42" in again.page("c")


def test_a_prose_edit_runs_nothing_but_its_claims_are_still_checked(site: SiteMaker) -> None:
    fixture = make(site)
    fixture.write("docs/c.md", PAGES["c.md"].replace("# C", "# C, reworded\n\nNew prose.") + "\nMore prose.\n")
    edited = fixture.build()
    assert edited.code == 0 and edited.ran == (0, 3)
    assert "New prose." in edited.page("c")
    fixture.write("docs/c.md", PAGES["c.md"].replace("= 42`", "= 43`"))
    false_claim = fixture.build()
    assert false_claim.code == 1 and false_claim.ran == (0, 3)  # nothing ran, and the claim still failed
    assert "docs/c.md:7:" in false_claim.log and "the page says 43, but `c` is 42" in false_claim.log


def test_a_code_edit_runs_only_its_page(site: SiteMaker) -> None:
    fixture = make(site)
    fixture.write("docs/c.md", PAGES["c.md"].replace("40 + 2", "41 + 1"))
    edited = fixture.build()
    assert edited.code == 0 and edited.ran == (1, 2)


def test_editing_an_imported_module_runs_the_pages_that_import_it(site: SiteMaker) -> None:
    fixture = make(site)
    fixture.write("helpers.py", "SCALE = 4\n")
    edited = fixture.build()
    assert edited.ran == (1, 2)
    assert edited.code == 1 and "the page says 6, but `value` is 8" in edited.log  # the new module really ran


def test_editing_an_opened_data_file_runs_the_pages_that_read_it(site: SiteMaker) -> None:
    fixture = make(site)
    fixture.write("docs/data.txt", "x y z\n")
    edited = fixture.build()
    assert edited.ran == (1, 2)
    assert "the page says 2, but `len(rows)` is 3" in edited.log


def test_damaged_cache_entries_are_recomputed(site: SiteMaker) -> None:
    fixture = make(site)
    entries = sorted((fixture.root / ".cache" / "plugin" / "reckon").rglob("*.jsonl"))
    assert len(entries) == 3
    entries[0].write_bytes(entries[0].read_bytes()[:100])
    entries[1].write_text("{not json", encoding="utf-8")
    for finished in (fixture.root / ".cache" / "plugin" / "reckon" / "pages").rglob("*.json"):  # and every finished page
        finished.write_bytes(finished.read_bytes()[:100])
    rebuilt = fixture.build()
    assert rebuilt.code == 0, rebuilt.log
    assert rebuilt.ran == (2, 1)
    assert "A is 6" in rebuilt.page("a") and "C is 42" in rebuilt.page("c") and "B has 2 rows" in rebuilt.page("b")


def test_the_cache_lives_next_to_mkdocs_yml(site: SiteMaker) -> None:
    fixture = make(site)
    assert (fixture.root / ".cache" / "plugin" / "reckon").is_dir()
    assert not (Path.cwd() / "docs" / ".cache").exists()
