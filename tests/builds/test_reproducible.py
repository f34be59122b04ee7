"""Reproducible builds: one commit always builds the same bytes (figures, HTML, search index, sitemap)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fixture_sites import FixtureSite

SiteMaker = Callable[..., FixtureSite]


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root``, by its path relative to it."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    """The files that only one tree has, or that the two trees hold with different bytes."""
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


# Code that draws without a seed and prints a set of strings, whose order follows the string hash.
UNSEEDED_PAGE = """\
# Unseeded

```{python}
#| echo: false
#| fig-alt: "Fifty random points"
import random
import numpy as np
import matplotlib.pyplot as plt
words = {f"word-{i}" for i in range(40)}
print(random.random(), np.random.rand())
print(list(words))
plt.scatter(np.random.rand(50), np.random.rand(50))
```
"""


def test_unseeded_randomness_and_set_order_build_the_same_bytes_every_time_and_on_every_page(
    site: SiteMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)  # a page pool in this test process may have set it
    fixture = site({"index.md": UNSEEDED_PAGE, "other.md": UNSEEDED_PAGE})
    builds = []
    for _ in range(2):
        outcome = fixture.build()
        assert outcome.code == 0, outcome.log
        builds.append(tree(outcome.site))
    assert differences(*builds) == []
    first, other = (builds[0][name].decode() for name in ("index.html", "other/index.html"))
    drawn = [text.split("<code>", 1)[1].split("\n", 1)[0] for text in (first, other)]
    assert drawn[0] == drawn[1]  # each page starts from the same random state, whatever ran before it


ROOT = Path(__file__).resolve().parents[2]

# `mkdocs build` with a clock that reads a year and a day later than the real one.
BUILD_LATER = """\
import datetime, sys
import mkdocs.utils
class Later(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.now(tz) + datetime.timedelta(days=366)
mkdocs.utils.datetime = Later
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build"]
cli()
"""


def build_clone(destination: Path, *, later: bool = False) -> dict[str, bytes]:
    """Clone the repository's last commit into ``destination``, build its site from scratch, and read it."""
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(destination)], check=True, timeout=120)
    command = [sys.executable, "-c", BUILD_LATER] if later else [sys.executable, "-m", "mkdocs", "build"]
    completed = subprocess.run(command, cwd=destination, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return tree(destination / "site")


def test_two_clean_builds_of_one_commit_a_year_apart_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PYTHONHASHSEED", "SOURCE_DATE_EPOCH", "SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    first = build_clone(tmp_path / "first")
    second = build_clone(tmp_path / "second", later=True)
    assert any(name.endswith(".svg") for name in first) and "search/search_index.json" in first and "sitemap.xml.gz" in first
    assert differences(first, second) == []
