"""Real builds of Quarto-style pages: every option as a Quarto author expects, blocks that must not
run never run, and no value makes a page heavy."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from fixture_sites import FixtureSite

SiteMaker = Callable[..., FixtureSite]
PAGES = Path(__file__).parent / "pages"

CONFIG = """\
site_name: fixture
theme: {name: material, font: false}
markdown_extensions:
  - pymdownx.superfences
  - admonition
  - pymdownx.details
plugins:
  - search
  - reckon:
      cache: false
%(reckon)s"""


def text_of(page_html: str) -> str:
    """The page's text, without tags (code is highlighted span by span)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


def test_a_quarto_page_with_every_option_builds_as_a_quarto_author_expects(site: SiteMaker, tmp_path: Path) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    page = (PAGES / "quarto.md").read_text(encoding="utf-8").replace("MARKERS", str(markers))
    fixture = site({"index.md": page}, config=CONFIG % {"reckon": ""})
    outcome = fixture.build()
    assert outcome.code == 0, outcome.log
    built = outcome.page("index")
    text = text_of(built)
    # include: false ran, and showed nothing; eval: false never ran, and its code shows.
    assert sorted(path.name for path in markers.iterdir()) == ["include-false-ran"]
    assert "include-false-ran" not in text
    assert '(markers / "eval-false-ran").write_text("ran")' in text
    # echo: false shows only the output; code-fold folds it under its summary, open with `show`.
    assert "echo false: only this output shows" in text
    assert 'print("echo false' not in text
    assert '<details class="example reckon-source">\n<summary>Show the code</summary>' in built
    assert '<details class="example reckon-source" open="open">\n<summary>Source</summary>' in built
    assert "[0, 1, 4, 9]" in text
    assert text.count("reckon's short for code-fold: true") == 1  # folded source; the block shows no value
    # echo: fenced shows the block as written.
    assert '```{python}\n#| echo: fenced\nfenced = "the block as written, its fence and options too"\n```' in text
    # output: false shows nothing but the code; output: asis is Markdown.
    assert text.count("printed but never shown") == 1
    assert "<strong>Markdown printed as is</strong>" in built
    # warning: false hides a warning; by default it shows, and does not fail the build.
    assert text.count("a warning nobody sees") == 1
    line = page.split("\n").index('warnings.warn("a warning shown in the page")') + 1
    assert f"docs/index.md:{line}: UserWarning: a warning shown in the page" in text
    # error: true shows the exception and does not fail the build.
    assert "ValueError: an error shown in the page" in text
    assert "Traceback (most recent call last)" in text
    # A numbered figure of 4 × 3 inches, and a numbered table with its caption, both referenced.
    assert '<figure id="fig-squares">' in built
    assert "Figure 1. The first 4 squares" in text
    [light] = re.findall(r'src="([^"#]+\.svg)#only-light"', built)
    assert 'width="288pt" height="216pt"' in (outcome.site / light).read_text()  # 72 points an inch
    assert '<figure id="tbl-squares">' in built
    assert "Table 1. Squares up to 9" in text
    assert '<a href="#fig-squares">Figure 1</a> draws them, <a href="#tbl-squares">Table 1</a> lists them' in built
    assert '<span id="setup" class="reckon-anchor"></span>' in built
    assert "reckon found" not in text


SIDE_EFFECTS = """\
# Blocks that must not run

```{python}
#| eval: false
open(%(eval)r, "w").write("ran")
answer = 42
```

```{python}
#| echo: false
#| ecal: false
open(%(typo)r, "w").write("ran")
```

The answer is `{python} answer`.
"""


def test_blocks_an_author_asked_not_to_run_never_run_and_the_build_says_where(site: SiteMaker, tmp_path: Path) -> None:
    eval_marker, typo_marker = tmp_path / "eval-false-ran", tmp_path / "typo-ran"
    fixture = site({"index.md": SIDE_EFFECTS % {"eval": str(eval_marker), "typo": str(typo_marker)}})
    outcome = fixture.build()
    assert not eval_marker.exists()
    assert not typo_marker.exists()
    assert outcome.code == 1
    assert "docs/index.md:11:4: unknown option `ecal` (did you mean `eval`?)" in outcome.log
    assert (
        "docs/index.md:15:25: `answer` raised NameError: name 'answer' is not defined "
        "(the block at line 3 defines it, but does not run: `eval: false`)"
    ) in outcome.log
    assert "reckon: 2 failures" in outcome.log


def test_the_sites_execute_defaults_apply_to_every_page_and_a_bad_one_stops_the_build(site: SiteMaker, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    pages = {"index.md": f"```{{python}}\nopen({str(marker)!r}, 'w').write('ran')\n```\n"}
    outcome = site(pages, config=CONFIG % {"reckon": "      execute:\n        eval: false\n"}).build()
    assert outcome.code == 0, outcome.log
    assert not marker.exists()
    assert "write('ran')" in text_of(outcome.page("index"))  # shown, not run
    bad = site(pages, config=CONFIG % {"reckon": "      execute:\n        evaluate: false\n"}).build()
    assert bad.code == 1
    assert "reckon: unknown option `evaluate` in `execute` (did you mean `eval`?)" in bad.log
    assert not marker.exists()


HUGE_ARRAY = """\
# A million numbers

```{python}
import numpy as np
x = np.linspace(0, 1, 1_000_000)
x
```
"""

HUGE_STRING = """\
# Ten megabytes of text

```{python}
"word " * 2_000_000
```
"""

PAGE_WEIGHT = 100_000  # bytes: what a page with one huge value may weigh, at most


def test_a_huge_array_or_string_leaves_the_page_and_the_search_index_small(site: SiteMaker) -> None:
    outcome = site({"index.md": HUGE_ARRAY, "text.md": HUGE_STRING}, config=CONFIG % {"reckon": ""}).build()
    assert outcome.code == 0, outcome.log
    array_page, text_page = outcome.page("index"), outcome.page("text")
    assert len(array_page.encode()) < PAGE_WEIGHT
    assert len(text_page.encode()) < PAGE_WEIGHT
    assert "..." in text_of(array_page)
    assert "more characters not shown" in text_of(text_page)
    index = outcome.site / "search" / "search_index.json"
    assert index.stat().st_size < PAGE_WEIGHT  # the whole site's index, both pages included
