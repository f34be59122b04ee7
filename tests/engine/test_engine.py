"""The engine without MkDocs: a build's pages, its summary, and failures of reckon itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reckon.engine import Engine, EngineSettings, PageSource

ROOT = Path(__file__).resolve().parents[2]


def test_the_engine_imports_no_mkdocs() -> None:
    code = "import sys, reckon.engine, reckon.preview; print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"


def test_a_failure_of_reckon_itself_becomes_a_located_failure_of_its_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine(EngineSettings(project_dir=tmp_path, concurrency=1), log=lambda message: None, warn=lambda message: None)
    try:
        monkeypatch.setattr(engine.pool, "run", lambda program, timeout, run=None: 1 / 0)  # a bug in the pool
        build = engine.build()
        page = build.render(PageSource("docs/p.md", "p.md", "# P\n\n`{python} 1 + 1 = 2`\n", 1))
        fine = build.render(PageSource("docs/q.md", "q.md", "# Q\n\nNo code here.\n", 1))
        assert [str(d).split(" (")[0] for d in page.diagnostics] == ["docs/p.md:3: reckon could not run this page"]
        assert "ZeroDivisionError" in page.diagnostics[0].message and "bug in reckon" in page.diagnostics[0].message
        assert fine.diagnostics == [] and "No code here." in fine.markdown
        assert build.summary().failures == 1
    finally:
        engine.stop()


def test_engine_settings_need_only_the_project_folder(tmp_path: Path) -> None:
    settings = EngineSettings(project_dir=tmp_path)
    assert settings.concurrency == (os.cpu_count() or 1)
    assert settings.timeout > 0


def test_page_processes_get_the_engines_limits_and_folder(tmp_path: Path) -> None:
    settings = EngineSettings(project_dir=tmp_path, memory_limit_mb=512, cpu_limit_s=7, cache_dir=tmp_path / "cache", working_dir="project")
    process = settings.for_page_processes()
    assert (process.project_dir, process.memory_limit_mb, process.cpu_limit_s, process.working_dir) == (str(tmp_path), 512, 7, "project")
    assert str(tmp_path / "cache") in process.ignored_dirs


def test_every_settings_type_starts_from_the_same_limits(tmp_path: Path) -> None:
    from reckon.run.process import ProcessSettings

    engine, process = EngineSettings(project_dir=tmp_path), ProcessSettings(str(tmp_path))
    assert (engine.memory_limit_mb, engine.cpu_limit_s) == (process.memory_limit_mb, process.cpu_limit_s) == (4096, 600)
    assert engine.timeout == 30
