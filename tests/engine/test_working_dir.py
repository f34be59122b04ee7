"""Pages run in their own folder (as in Quarto and Jupyter), or in the project's when asked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reckon.engine import Engine, EngineSettings, PageSource
from reckon.page.assemble import RenderedPage

Render = Callable[..., RenderedPage]

READS = "# Data\n\n```{python}\nrows = open('measurements.csv').read().split()\n```\n\n`{python} len(rows) = 3` rows.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "sub" / "measurements.csv").write_text("1\n2\n3\n")
    (tmp_path / "docs" / "sub" / "helpers.py").write_text("ANSWER = 42\n")
    (tmp_path / "measurements.csv").write_text("1\n2\n3\n4\n5\n")
    return tmp_path


@pytest.fixture
def render(project: Path) -> Iterator[Render]:
    engines: list[Engine] = []

    def render(markdown: str, *, path: str = "docs/sub/page.md", working_dir: str = "page", cache_dir: Path | None = None) -> RenderedPage:
        settings = EngineSettings(project_dir=project, concurrency=1, cache_dir=cache_dir, working_dir=working_dir)
        engine = Engine(settings, log=lambda message: None, warn=lambda message: None)
        engines.append(engine)
        return engine.build().render(PageSource(path, path.removeprefix("docs/"), markdown, 1, markdown))

    yield render
    for engine in engines:
        engine.stop()


def test_a_page_reads_the_data_beside_it(render: Render) -> None:
    rendered = render(READS)
    assert rendered.diagnostics == []
    assert rendered.stats.claims == 1


def test_working_dir_project_keeps_the_project_root(render: Render) -> None:
    rendered = render(READS.replace("= 3`", "= 5`"), working_dir="project")
    assert rendered.diagnostics == []
    assert rendered.stats.claims == 1


def test_a_module_beside_the_page_imports_and_so_does_an_installed_one(render: Render, project: Path) -> None:
    rendered = render("# M\n\n```{python}\nimport helpers\nimport cnnmath\n```\n\n`{python} helpers.ANSWER = 42`\n")
    assert rendered.diagnostics == []
    assert rendered.stats.claims == 1
    assert not (project / "docs" / "sub" / "__pycache__").exists(), "MkDocs would publish the bytecode of the page's module"


def test_a_missing_file_names_the_folder_relative_paths_are_read_from(render: Render) -> None:
    (message,) = [d.message for d in render("# X\n\n```{python}\nopen('nowhere.csv')\n```\n").diagnostics]
    assert message.startswith("FileNotFoundError: [Errno 2] No such file or directory: 'nowhere.csv'")
    assert "relative paths are read from docs/sub/, the page's own folder" in message
    assert "working_dir: project" in message
    (message,) = [d.message for d in render("# X\n\n```{python}\nopen('nowhere.csv')\n```\n", working_dir="project").diagnostics]
    assert "relative paths are read from the project's folder" in message


def test_a_missing_file_is_a_dependency_writing_it_runs_the_page_again(render: Render, project: Path) -> None:
    cache = project / ".cache"
    markdown = "# Y\n\n```{python}\nwords = open('later.txt').read().split()\n```\n\n`{python} len(words) = 2`\n"
    assert render(markdown, cache_dir=cache).diagnostics  # not there yet: the failure is cached
    (project / "docs" / "sub" / "later.txt").write_text("two words")
    assert render(markdown, cache_dir=cache).diagnostics == []


def test_a_module_not_written_yet_runs_the_page_again_once_it_is(render: Render, project: Path) -> None:
    cache = project / ".cache"
    markdown = "# Z\n\n```{python}\nimport later\n```\n\n`{python} later.B = 7`\n"
    (failure,) = render(markdown, cache_dir=cache).diagnostics
    assert "ModuleNotFoundError" in failure.message
    (project / "docs" / "sub" / "later.py").write_text("B = 7\n")
    assert render(markdown, cache_dir=cache).diagnostics == []
