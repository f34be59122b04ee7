"""Real `mkdocs build` runs of small fixture sites, in temporary folders, as an author runs them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

from fixture_sites import FixtureSite

SiteMaker = Callable[..., FixtureSite]

CLAIMS_PAGE = """\
# Claims of every kind

```{python}
#| echo: false
from fractions import Fraction
import numpy as np
n_params = 96 * (10 * 10 * 10) + 96
n_mults = 66 * 66 * 96 * 10 * 10 * 10
mean_white = 5 * 255 / 9
shape = (6, 6, 20)
kernels = [k for k in range(1, 20) if (205 - k) // 3 + 1 == 66]
ratio = Fraction(1, 8)
```

Integer: `{python} n_params = 96,096`.
Plain integer: `{python} n_params = 96096`.
Decimal: `{python} mean_white = 141.67`.
Fraction: `{python} mean_white = 425/3`.
Percentage: `{python} float(ratio) = 12.5%`.
Scientific: `{python} n_mults = 4.18e8`.
Times ten: `{python} n_mults = 4.18×10^8`.
Shape: `{python} shape = 6×6×20`.
Shape with x: `{python} np.zeros(shape).shape = 6x6x20`.
Set: `{python} kernels = {8, 9, 10}`.
Tuple: `{python} tuple(kernels) = (8, 9, 10)`.
Negative: `{python} -n_params = −96,096`.
Formatted text: `{python} f"{n_mults:,}" = 418,176,000`.
"""

# Each claimed literal, a wrong replacement, and what the build must then report.
WRONG = [
    ("96,096", "96,000", "96,096"),
    ("96096", "96097", "96096"),
    ("141.67", "141.6", "141.7"),
    ("425/3", "424/3", "141.66666666666666"),
    ("12.5%", "11%", "12%"),  # 12% would pass: 0.125 is within half a percent of it
    ("4.18e8", "4.17e8", "4.18e8"),
    ("4.18×10^8", "4.19×10^8", "4.18e8"),
    ("6×6×20", "6×6×21", "6×6×20"),
    ("6x6x20", "6x5x20", "6x6x20"),
    ("{8, 9, 10}", "{10}", "{8, 9, 10}"),
    ("(8, 9, 10)", "(10, 9, 8)", "(8, 9, 10)"),
    ("−96,096", "96,096", "-96,096"),
    ("418,176,000", "418,176,001", "'418,176,000'"),
]


def test_true_claims_of_every_kind_build_and_render_as_written(site: SiteMaker) -> None:
    outcome = site({"index.md": CLAIMS_PAGE}).build()
    assert outcome.code == 0, outcome.log
    html = outcome.page("index")
    for literal, _wrong, _computed in WRONG:
        assert literal.replace("&", "&amp;") in html
    assert "13 claims verified" in outcome.log
    assert re.search(
        r"INFO\s+-\s+reckon: 1 page with code \(1 run, 0 from cache\), 1 block, 13 claims verified, "
        r"0 assertions passed, 0 failures, in [\d.]+ s",
        outcome.log,
    )


@pytest.mark.parametrize(("literal", "wrong", "computed"), WRONG, ids=[row[0] for row in WRONG])
def test_changing_any_claimed_literal_fails_the_build_at_its_line_with_both_values(
    site: SiteMaker, literal: str, wrong: str, computed: str
) -> None:
    lines = CLAIMS_PAGE.splitlines()
    number = next(index for index, line in enumerate(lines, start=1) if f"= {literal}`" in line)
    column = lines[number - 1].index(f"= {literal}`") + 3
    lines[number - 1] = lines[number - 1].replace(f"= {literal}`", f"= {wrong}`")
    outcome = site({"index.md": "\n".join(lines) + "\n"}).build()
    assert outcome.code == 1
    assert f"docs/index.md:{number}:{column}: claim is false: the page says {wrong}, but " in outcome.log
    assert f" is {computed}" in outcome.log
    assert "reckon: 1 failure (listed above); the build fails" in outcome.log


def test_an_exception_names_the_markdown_line_and_other_pages_still_build(site: SiteMaker) -> None:
    outcome = site(
        {
            "index.md": "# Fine\n\n`{python} 6 * 7 = 42`\n",
            "broken.md": "# Broken\n\n```{python}\nx = 1\ny = x / 0\n```\n",
            "false.md": "# False\n\n`{python} 1 + 1 = 3`\n",
        }
    ).build()
    assert outcome.code == 1
    assert "docs/broken.md:5:5: ZeroDivisionError: division by zero" in outcome.log
    assert 'File "docs/broken.md", line 5, in <module>' in outcome.log
    assert "docs/false.md:3:" in outcome.log  # every failure of every page, not just the first
    assert "<string>" not in outcome.log
    assert "42" in outcome.page("index")


def test_a_runaway_block_times_out_at_its_line_and_the_build_ends(site: SiteMaker) -> None:
    outcome = site({"index.md": "# Loop\n\n```{python}\nwhile True: pass\n```\n", "other.md": "`{python} 2 + 2 = 4`\n"}, timeout=3).build()
    assert outcome.code == 1
    assert "docs/index.md:4: the code ran longer than the 3 s timeout and was stopped" in outcome.log
    assert (outcome.site / "other" / "index.html").exists()


def test_a_name_defined_on_one_page_is_undefined_on_the_next(site: SiteMaker) -> None:
    outcome = site(
        {
            "a.md": "```{python}\nleaked = 1\nimport os\nos.environ['LEAK'] = '1'\n```\n",
            "b.md": "\n`{python} leaked`\n",
            "c.md": "`{python} __import__('os').environ.get('LEAK')`\n",
        }
    ).build()
    assert outcome.code == 1
    assert "docs/b.md:2:11: `leaked` raised NameError: name 'leaked' is not defined" in outcome.log
    assert "None" in outcome.page("c")


def test_code_in_other_fences_is_shown_and_never_run(site: SiteMaker) -> None:
    page = """\
    # Syntax

    ````markdown
    ```{python}
    raise SystemExit("this must not run")
    ```

    `{python} 1 = 2`
    ````

        ```{python}
        raise SystemExit("nor this")
        ```

    ``{python} 1 = 3``
    """
    outcome = site({"index.md": page.replace("\n    ", "\n").lstrip()}).build()
    assert outcome.code == 0, outcome.log
    assert "this must not run" in outcome.page("index")


def test_line_numbers_count_the_front_matter(site: SiteMaker) -> None:
    page = "---\ntitle: Front matter\ntags:\n  - a\n---\n\n# Page\n\n`{python} 1 = 2`\n"
    outcome = site({"index.md": page}).build()
    assert "docs/index.md:9:" in outcome.log


def test_disabled_plugin_leaves_the_code_untouched_and_runs_nothing(site: SiteMaker) -> None:
    config = (
        "site_name: disabled\ntheme: {name: material, font: false}\nmarkdown_extensions: [pymdownx.superfences]\n"
        "plugins:\n  - reckon:\n      enabled: false\n"
    )
    outcome = site({"index.md": "```{python}\nraise SystemExit('ran')\n```\n\n`{python} 1 = 2`\n"}, config=config).build()
    assert outcome.code == 0, outcome.log
    html = outcome.page("index")
    assert "raise" in html and "SystemExit" in html and "{python} 1 = 2" in html
    assert "reckon:" not in outcome.log


def test_failures_become_github_annotations_in_actions(site: SiteMaker) -> None:
    outcome = site({"index.md": "\n`{python} 1 + 1 = 3`\n"}).build(env={"GITHUB_ACTIONS": "true"})
    assert "::error file=docs/index.md,line=2,col=" in outcome.log
    assert "title=reckon::claim is false: the page says 3, but `1 + 1` is 2" in outcome.log


@pytest.fixture
def core_dumps_allowed() -> Iterator[None]:
    """Let processes started from here dump core, as a developer's `ulimit -c unlimited` does."""
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    if hard == 0:
        pytest.skip("this machine forbids core dumps")
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
    yield
    resource.setrlimit(resource.RLIMIT_CORE, (soft, hard))


def test_a_page_that_crashes_leaves_no_core_dump_in_the_project(site: SiteMaker, core_dumps_allowed: None) -> None:
    fixture = site({"index.md": "# Crash\n\n```{python}\nimport os\nos.abort()\n```\n"})
    outcome = fixture.build()
    assert outcome.code == 1
    assert "docs/index.md:5: the process running this page crashed (SIGABRT)" in outcome.log
    assert sorted(path.name for path in fixture.root.iterdir()) == ["docs", "mkdocs.yml", "site"]


def test_pages_run_when_the_build_is_driven_by_a_script_read_from_stdin(site: SiteMaker) -> None:
    # multiprocessing cannot import such a main module again; the page server must start anyway.
    import os
    import subprocess
    import sys

    fixture = site({"index.md": "`{python} 6 * 7 = 42`\n"})
    script = "import sys\nfrom mkdocs.__main__ import cli\nsys.argv = ['mkdocs', 'build']\ncli()\n"
    completed = subprocess.run(
        [sys.executable, "-"],
        input=script,
        cwd=fixture.root,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "1 claim verified" in completed.stdout + completed.stderr
    assert "Traceback" not in completed.stdout + completed.stderr
