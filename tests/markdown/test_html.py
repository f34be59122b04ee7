"""What the engine writes, turned into HTML by Python-Markdown configured like the site."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
from mkdocs.utils.yaml import yaml_load

from reckon.assembly import RenderedPage
from reckon.plugin import REQUIRED_EXTENSIONS

Render = Callable[..., RenderedPage]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def to_html() -> Callable[[str], str]:
    """Python-Markdown with the site's extensions (and those reckon adds)."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text())  # MkDocs' own loader: mkdocs.yml uses !ENV
    names: list[str] = []
    settings: dict[str, dict[str, object]] = {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        settings[name] = options or {}
    names += [name for name in REQUIRED_EXTENSIONS if name not in names]
    return lambda text: markdown.Markdown(extensions=names, extension_configs=settings).convert(text)


FIGURE_IN_ADMONITION = """\
!!! example "Nested"

    ```{python}
    #| echo: false
    #| label: fig-dots
    #| fig-cap: "Three dots, max `{python} max(ys)`"
    #| fig-alt: "Three dots rising"
    import matplotlib.pyplot as plt
    ys = [1, 2, 3]
    plt.plot(ys, "o")
    ```

    See @fig-dots.
"""


def test_a_figure_inside_an_admonition_becomes_a_figure_with_caption_and_both_variants(render: Render, to_html: Callable[[str], str]) -> None:
    html = to_html(render(FIGURE_IN_ADMONITION).markdown)
    admonition = html[html.index('<div class="admonition example">') :]
    assert '<figure id="fig-dots">' in admonition
    assert admonition.count('alt="Three dots rising"') == 2
    assert "#only-light" in admonition and "#only-dark" in admonition
    assert "<figcaption>\n<p><strong>Figure 1.</strong> Three dots, max 3</p>\n</figcaption>" in admonition
    assert '<a href="#fig-dots">Figure 1</a>' in admonition


def test_tables_matrices_and_folded_source_inside_a_list_item(render: Render, to_html: Callable[[str], str]) -> None:
    page = render(
        """\
        - An item:

            ```{python}
            #| echo: fold
            import numpy as np
            from reckon import Table
            Table([(1, 2)], headers=["a", "b"])
            ```

            ```{python}
            #| echo: false
            np.eye(2, dtype=int)
            ```
        """
    )
    html = to_html(page.markdown)
    item = html[html.index("<li>") : html.index("</li>")]
    assert '<details class="example">\n<summary>Source</summary>' in item
    assert "<table>" in item and "<th" in item
    assert '<div class="arithmatex">\\[\n\\begin{bmatrix}' in item


def test_a_failure_shows_as_an_admonition_with_its_traceback(render: Render, to_html: Callable[[str], str]) -> None:
    html = to_html(render("# Page\n\n```{python}\n1 / 0\n```\n").markdown)
    assert '<p class="admonition-title">reckon found 1 problem on this page</p>' in html
    assert '<div class="admonition failure">' in html
    assert "docs/page.md:4:1: ZeroDivisionError: division by zero" in html
    assert html.index("<h1") < html.index("reckon found")  # under the title, not above it
