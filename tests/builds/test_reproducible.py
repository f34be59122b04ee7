"""Reproducible builds: one commit always builds the same bytes (figures, HTML, search index, sitemap)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

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


def test_unseeded_randomness_and_set_order_build_the_same_bytes_every_time_and_on_every_page(site: SiteMaker) -> None:
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
