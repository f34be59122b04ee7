"""What the engine writes, turned into HTML by Python-Markdown configured like the site."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.utils.yaml import yaml_load

import markdown
from reckon.page.assemble import RenderedPage
from reckon.plugin import REQUIRED_EXTENSIONS
from reckon.stylesheet import STYLESHEET

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


def test_a_figure_inside_an_admonition_becomes_a_figure_with_caption_and_both_variants(
    render: Render, to_html: Callable[[str], str]
) -> None:
    html = to_html(render(FIGURE_IN_ADMONITION).markdown)
    admonition = html[html.index('<div class="admonition example">') :]
    assert '<figure id="fig-dots">' in admonition
    assert admonition.count('alt="Three dots rising"') == 2
    images = re.findall(r"<img [^>]*>", admonition)
    assert all('class="reckon-figure"' in image and 'height="360"' in image and 'width="576"' in image for image in images), images
    sources = [re.search(r'src="([^"]+)"', image)[1] for image in images]  # type: ignore[index]
    assert [source.rsplit("#", 1)[1] for source in sources] == ["only-light", "only-dark"], sources
    assert len({source.rsplit("#", 1)[0] for source in sources}) == 1  # one file, shown in either palette
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
    assert '<details class="example reckon-source">\n<summary>Source</summary>' in item
    assert "<table>" in item and "<th" in item
    assert '<div class="arithmatex">\\[\n\\begin{bmatrix}' in item


def test_a_failure_shows_as_an_admonition_with_its_traceback(render: Render, to_html: Callable[[str], str]) -> None:
    html = to_html(render("# Page\n\n```{python}\n1 / 0\n```\n").markdown)
    assert '<p class="admonition-title">reckon found 1 problem on this page</p>' in html
    assert '<div class="admonition failure">' in html
    assert "docs/page.md:4:1: ZeroDivisionError: division by zero" in html
    assert html.index("<h1") < html.index("reckon found")  # under the title, not above it


def test_a_block_inside_a_blockquote_runs_and_its_output_stays_in_the_quote(render: Render, to_html: Callable[[str], str]) -> None:
    page = render("> Quoted:\n>\n> ```{python}\n> total = 6 * 7\n> print(total)\n> ```\n>\n> Said `{python} total = 42`.\n")
    assert not page.diagnostics
    html = to_html(page.markdown)
    assert html.count("<blockquote>") == 1
    quote = html[html.index("<blockquote>") : html.index("</blockquote>")]
    assert "total" in quote and "42" in quote
    assert "Said 42." in quote


def test_an_unclosed_block_in_a_blockquote_is_reported_at_its_line(render: Render) -> None:
    page = render("Intro\n\n> ```{python}\n> x = 1\n\nAfter.\n")
    assert [(d.line, d.message.split(":")[0]) for d in page.diagnostics] == [(3, "this ```{python} block is never closed")]


QUARTO_BLOCKS = """\
```{python}
#| label: tbl-sizes
#| tbl-cap: "Sizes, largest `{python} max(sizes)`"
#| code-fold: show
#| code-summary: How the table is made
from reckon import Table
sizes = [3, 5]
Table([(size, size * size) for size in sizes], headers=["k", "k²"])
```

```{python}
#| label: setup
#| echo: false
import warnings
warnings.warn("rounded to 3 digits")
```

```{python}
#| error: true
#| echo: false
{}["missing"]
```

See @tbl-sizes and [the setup](#setup).
"""


def test_quarto_options_become_the_html_a_quarto_author_expects(render: Render, to_html: Callable[[str], str]) -> None:
    page = render(QUARTO_BLOCKS)
    assert page.diagnostics == []
    html = to_html(page.markdown)
    # The folded source, open at first, under its summary.
    assert '<details class="example reckon-source" open="open">\n<summary>How the table is made</summary>' in html
    # The table in a figure, its numbered caption first, and the reference a link to it.
    figure = html[html.index('<figure id="tbl-sizes">') :]
    assert figure.index("<figcaption>\n<p><strong>Table 1.</strong> Sizes, largest 5</p>\n</figcaption>") < figure.index("<table>")
    assert '<a href="#tbl-sizes">Table 1</a>' in html
    # Any other label is an anchor; a warning is a warning admonition; an allowed error is a traceback.
    assert '<span id="setup" class="reckon-anchor"></span>' in html
    assert '<div class="admonition warning">\n<p class="admonition-title">Warning</p>' in html
    assert "docs/page.md:15: UserWarning: rounded to 3 digits" in html
    assert "KeyError" in html[html.index("Traceback") :]
    assert "admonition failure" not in html


ARRAY_TABLE = """\
```{python}
import numpy as np
np.arange(60).reshape(3, 20)
```
"""


def test_every_header_of_an_arrays_table_says_something_to_a_screen_reader_and_the_corner_is_not_seen(
    render: Render, to_html: Callable[[str], str]
) -> None:
    html = to_html(render(ARRAY_TABLE).markdown)
    headers = re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", html, re.DOTALL)
    assert len(headers) == 21, headers  # the row numbers' column, and 20 columns (wider than a matrix shows)
    assert all(re.sub(r"<[^>]+>", "", header).strip() for header in headers), headers
    assert headers[0] == '<span class="reckon-visually-hidden">row</span>'
    assert ".reckon-visually-hidden" in STYLESHEET.decode()
