"""No page reads its own Markdown or another page's, so a prose edit to any page runs no code.

What pages used to learn by parsing page sources now lives in code they import (the write-up and
its defects in ``plugins/writeup``) or is checked here: that the errata page has a section for each
defect, in order, and that each of the guide's examples shows exactly the source that runs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from fixture_sites import FixtureSite
from writeup.errata import DEFECTS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_the_errata_page_has_a_section_for_each_defect_in_the_order_of_the_list_and_no_other() -> None:
    errata = (DOCS / "errata.md").read_text(encoding="utf-8")
    anchors = re.findall(r"^#{2,3} .*\{ #([\w-]+) \}$", errata, flags=re.MULTILINE)
    assert anchors == [defect.id for defect in DEFECTS] + ["presentation", "correct"]


def test_every_example_in_the_guide_shows_exactly_the_source_that_runs_beside_it() -> None:
    guide = (DOCS / "guide.md").read_text(encoding="utf-8")
    example = re.compile(
        r'<div class="grid" markdown>\n\n(`{4,})markdown\n(?P<shown>.*?)\n\1\n\n<div markdown>\n\n(?P<live>.*?)\n\n</div>\n\n</div>',
        re.DOTALL,
    )
    examples = [(match["shown"], match["live"]) for match in example.finditer(guide)]
    grids = guide.count('<div class="grid" markdown>\n')
    assert examples, "the guide has no examples laid out side by side"
    assert len(examples) == grids, f"{grids - len(examples)} example(s) are not laid out as this check expects"
    for shown, live in examples:
        assert shown == live, f"an example's source and its live copy differ:\n{shown}\n---\n{live}"


def test_no_page_code_names_a_page_source() -> None:
    """A page whose code opens a ``.md`` file would re-run on prose edits; none does."""
    offenders = []
    for page in sorted(DOCS.glob("*.md")):
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"""["'][^"'\s]*\.md["']""", line) and re.search(r"read_text|open\(|Path\(", line):
                offenders.append(f"docs/{page.name}:{number}: {line.strip()}")
    assert offenders == []


def prose_edited(text: str) -> str:
    """The page with a sentence added under its title and a paragraph at its end: prose only."""
    title, rest = text.split("\n", 1)
    assert title.startswith("# "), title
    return f"{title}\n\nA sentence added by a prose edit.\n{rest.rstrip()}\n\nA paragraph added at the end.\n"


def test_a_prose_edit_to_every_page_at_once_runs_no_code(tmp_path: Path) -> None:
    project = tmp_path / "site"
    for folder in ("docs", "hooks", "overrides"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copytree(ROOT / "benchmarks" / "results", project / "benchmarks" / "results")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    fixture = FixtureSite(project)

    cold = fixture.build(timeout=600)
    assert cold.code == 0, cold.log
    pages = sorted((project / "docs").glob("*.md"))
    run, _ = cold.ran
    assert run == len(pages), cold.log

    for page in pages:
        page.write_text(prose_edited(page.read_text(encoding="utf-8")), encoding="utf-8")
    warm = fixture.build(timeout=600)
    assert warm.code == 0, warm.log
    assert warm.ran == (0, len(pages)), warm.log
    assert "A paragraph added at the end." in warm.page("errata")
    assert "A sentence added by a prose edit." in warm.page("index")
