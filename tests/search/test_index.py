"""The hook in real `mkdocs build` runs: Material's search index reads like the page, and the page is untouched."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fixture_sites import FixtureSite

ROOT = Path(__file__).resolve().parents[2]
CONFIG = f"""\
site_name: fixture
theme: {{name: material, font: false}}
markdown_extensions:
  - pymdownx.arithmatex: {{generic: true}}
  - admonition
hooks:
  - {ROOT / "hooks" / "search_text.py"}
plugins:
  - search
"""
PAGE = r"""# Backprop

**Severity:** imprecise.<br>**Where:** §3.3

Ties go to \(z_1\), and \(\partial L/\partial z_1 = \delta_1\) for \(k =\) 10.

$$
\hat y = w_1 v_1 + w_2 v_2 + a
$$

## Counts

The layer has 96,096 parameters and makes 418176000 multiplications.

    code keeps \(z_1\) as written
"""
# TeX outside code: a delimiter or a command, as arithmatex and authors write them.
TEX = re.compile(r"\\[()\[\]]|\\[A-Za-z]+")
CODE = re.compile(r"<pre>.*?</pre>|<code>.*?</code>", re.DOTALL)


def index(site: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return loaded


def prose(entry: dict[str, Any]) -> str:
    return CODE.sub(" ", f"{entry['title']} {entry['text']}")


def test_the_index_holds_no_tex_and_reads_as_the_page_does(site: Callable[..., FixtureSite]) -> None:
    outcome = site({"index.md": PAGE}, config=CONFIG).build("--strict")
    assert outcome.code == 0, outcome.log
    entries = index(outcome.site)["docs"]
    assert [TEX.findall(prose(entry)) for entry in entries if TEX.search(prose(entry))] == []
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", " ".join(entry["text"] for entry in entries)))
    assert "Ties go to z1, and ∂L/∂z1 = δ1 for k = 10." in text
    assert "ŷ = w1 v1 + w2 v2 + a" in text
    assert "imprecise. Where: §3.3" in text
    assert r"code keeps \(z_1\) as written" in text  # code is searched as it is shown


def test_the_page_the_reader_gets_keeps_its_tex_for_katex(site: Callable[..., FixtureSite]) -> None:
    outcome = site({"index.md": PAGE}, config=CONFIG).build("--strict")
    assert outcome.code == 0, outcome.log
    html = outcome.page("index")
    assert r'<span class="arithmatex">\(z_1\)</span>' in html
    assert r"\hat y = w_1 v_1" in html
    assert "imprecise.<br />" in html or "imprecise.<br>" in html


def test_numbers_are_indexed_with_and_without_separators_in_a_field_never_shown(site: Callable[..., FixtureSite]) -> None:
    outcome = site({"index.md": PAGE}, config=CONFIG).build("--strict")
    assert outcome.code == 0, outcome.log
    built = index(outcome.site)
    assert built["config"]["fields"]["numbers"] == {"boost": 1.0}
    counts = next(entry for entry in built["docs"] if entry["location"].endswith("#counts"))
    assert counts["numbers"].split() == ["96096", "418,176,000"]
    assert "96,096" in counts["text"]
    assert "96096" not in counts["text"]  # the excerpt shows the page's own form only
