"""Finished pages kept between builds: used again only while the page, its settings and the files its code read are unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

import reckon.engine
from reckon.engine import Engine, EngineSettings, PageSource

PAGE = """\
# P

```{python}
#| echo: false
from pathlib import Path
rows = Path("data.txt").read_text().split()
```

The file has `{python} len(rows) = 2` words.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "data.txt").write_text("a b\n", encoding="utf-8")
    return tmp_path


def build(project: Path, markdown: str = PAGE) -> tuple[reckon.engine.RenderedPage, reckon.engine.BuildSummary]:
    """One build of one page, by a new engine (as `mkdocs build` makes one per run)."""
    engine = Engine(EngineSettings(project_dir=project, concurrency=1, cache_dir=project / ".cache"), log=lambda message: None)
    try:
        run = engine.build()
        run.prefetch(PageSource("docs/p.md", "p.md", markdown, 1, markdown))
        rendered = run.render(PageSource("docs/p.md", "p.md", markdown, 1, markdown))
        return rendered, run.summary()
    finally:
        engine.stop()


def refuse_to_assemble(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the page was assembled again")

    monkeypatch.setattr(reckon.engine, "assemble_page", refuse)
    monkeypatch.setattr(reckon.engine, "plan_page", refuse)


def test_an_unchanged_page_is_neither_planned_nor_assembled_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, summary = build(project)
    assert summary.executed == 1
    assert first.diagnostics == [] and "2" in first.markdown
    refuse_to_assemble(monkeypatch)
    again, summary = build(project)
    assert again.markdown == first.markdown
    assert again.files == first.files
    assert (summary.executed, summary.cached, summary.claims, summary.failures) == (0, 1, 1, 0)


def test_a_changed_input_file_runs_the_page_again_and_its_claim_is_checked(project: Path) -> None:
    build(project)
    (project / "data.txt").write_text("a b c\n", encoding="utf-8")
    rendered, summary = build(project)
    assert summary.executed == 1
    assert [diagnostic.message for diagnostic in rendered.diagnostics] == ["claim is false: the page says 2, but `len(rows)` is 3"]


def test_a_prose_edit_is_assembled_again_from_the_cached_result(project: Path) -> None:
    build(project)
    edited = PAGE.replace("The file has", "This file holds")
    rendered, summary = build(project, edited)
    assert (summary.executed, summary.cached) == (0, 1)
    assert "This file holds" in rendered.markdown


def test_a_page_with_a_failure_is_never_kept_and_fails_again_every_build(project: Path) -> None:
    wrong = PAGE.replace("= 2`", "= 3`")
    for _ in range(2):
        rendered, summary = build(project, wrong)
        assert summary.failures == 1
        assert len(rendered.diagnostics) == 1
    assert not list((project / ".cache" / "pages").rglob("*.json"))


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 1, "checksum": "0"}\n{}'])
def test_a_damaged_finished_page_is_assembled_again(project: Path, damage: bytes) -> None:
    first, _summary = build(project)
    (entry,) = (project / ".cache" / "pages").rglob("*.json")
    entry.write_bytes(damage)
    again, summary = build(project)
    assert again.markdown == first.markdown
    assert (summary.executed, summary.cached) == (0, 1)  # assembled again, from the cached result
    assert entry.read_bytes() != damage  # and stored again
