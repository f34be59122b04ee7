"""A real build: each page runs in its own folder, unless `working_dir: project` says otherwise."""

from __future__ import annotations

from collections.abc import Callable

from fixture_sites import FixtureSite

SiteMaker = Callable[..., FixtureSite]

CONFIG = """\
site_name: fixture
theme: {name: mkdocs}
markdown_extensions: [admonition, pymdownx.details, pymdownx.superfences]
plugins:
  - reckon:
      cache: false
%s"""
PAGE = (
    "# Data\n\n```{python}\nrows = open('measurements.csv').read().split()\nimport helpers\n```\n\n"
    "`{python} len(rows) = 3` rows, scale `{python} helpers.SCALE = 2`.\n"
)


def make(site: SiteMaker, options: str = "") -> FixtureSite:
    fixture = site({"index.md": "# Home\n", "sub/page.md": PAGE}, config=CONFIG % options)
    fixture.write("docs/sub/measurements.csv", "1\n2\n3\n")
    fixture.write("docs/sub/helpers.py", "SCALE = 2\n")
    return fixture


def test_a_page_in_a_subfolder_reads_the_data_and_imports_the_module_beside_it(site: SiteMaker) -> None:
    built = make(site).build()
    assert built.code == 0, built.log
    assert "3 rows, scale 2." in built.page("sub/page")


def test_working_dir_project_runs_pages_in_the_project_and_says_so_when_a_file_is_missing(site: SiteMaker) -> None:
    built = make(site, "      working_dir: project\n").build()
    assert built.code == 1
    assert "docs/sub/page.md:4:8: FileNotFoundError: [Errno 2] No such file or directory: 'measurements.csv'" in built.log
    assert "relative paths are read from the project's folder" in built.log
