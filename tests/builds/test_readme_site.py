"""The README's "use reckon on your own site": its mkdocs.yml, alone in an empty folder with one page, builds."""

from __future__ import annotations

import re
from pathlib import Path

from fixture_sites import FixtureSite

ROOT = Path(__file__).resolve().parent.parent.parent

PAGE = """\
# Notes

```{python}
#| echo: false
import numpy as np
import matplotlib.pyplot as plt
x = np.arange(10)
n = int(x.sum())
```

The numbers 0 to 9 add up to `{python} n = 45`.

```{python}
#| echo: fold
#| label: fig-sum
#| fig-cap: "The running sum"
#| fig-alt: "The running sum of 0 to 9, rising to 45"
plt.plot(np.cumsum(x))
```

```{python}
np.eye(2, dtype=int)
```

See @fig-sum.
"""


def readme_config() -> str:
    """The first YAML block of the README's section "Use reckon on your own site"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Use reckon on your own site") :]
    match = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert match, "the section has no mkdocs.yml"
    return match[1]


def test_the_readmes_smallest_config_builds_a_page_from_an_empty_folder(tmp_path: Path) -> None:
    site = FixtureSite(tmp_path)
    site.write("mkdocs.yml", readme_config(), dedent=False)
    site.write("docs/index.md", PAGE, dedent=False)
    assert sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*")) == ["docs", "docs/index.md", "mkdocs.yml"]
    outcome = site.build("--strict")
    assert outcome.code == 0, outcome.log
    html = outcome.page("index")
    figures = sorted(path.name for path in (outcome.site / "assets" / "reckon").glob("*.svg"))
    assert len(figures) == 1, figures
    assert html.count(f'src="assets/reckon/{figures[0]}#only-light"') == 1
    assert html.count(f'src="assets/reckon/{figures[0]}#only-dark"') == 1
    assert '<figure id="fig-sum">' in html  # the caption
    assert '<a href="#fig-sum">Figure 1</a>' in html
    assert '<details class="example reckon-source">' in html  # folded source: pymdownx.details, added by reckon
    assert "<table>" in html  # the array, as a Markdown table without math (tables: added by reckon)
    assert "add up to 45." in html
    assert (outcome.site / "assets" / "reckon" / "reckon.js").exists()
    assert "assets/reckon/reckon.css" in html
    assert "assets/reckon/reckon.js" in html
