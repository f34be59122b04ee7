"""Live pages in real `mkdocs build` runs: what cannot be live fails the build at its line; a live page ships its runtime.

These builds need the pinned Pyodide installed in this environment (`python -m npm_pinned install pyodide`,
as the README's commands do); a site with a live page and no Pyodide fails with that command.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from fixture_sites import FixtureSite
from reckon.live.runtime import CORE_FILES

SiteMaker = Callable[..., FixtureSite]

LIVE_PAGE = """\
# Live

```{python}
#| live: true
from reckon import live
from helper import window_count

n = live.number(16, min=1, max=4096, label="input size")
```

```{python}
#| live: true
#| echo: false
count = window_count(n, 3, 3)
count * 10
```

There are `{python} count = 5` windows.
"""

HELPER = '''\
"""A pure-Python module beside the page."""

def window_count(n, k, s):
    return (n - k) // s + 1
'''


def test_a_live_page_builds_with_its_form_its_wrapped_results_its_payload_and_the_runtime(site: SiteMaker) -> None:
    fixture = site({"index.md": LIVE_PAGE, "other.md": "# Not live\n\n`{python} 1 + 1 = 2`\n"})
    fixture.write("helper.py", HELPER)  # pages run in the project's folder, and import from it
    outcome = fixture.build()
    assert outcome.code == 0, outcome.log
    html = outcome.page("index")
    match = re.search(r'<form class="reckon-live-inputs" data-reckon-live="([0-9a-f]{20}\.json)"', html)
    assert match, html
    assert 'name="n" type="text" inputmode="numeric"' in html
    assert 'value="16" data-default="16"' in html
    assert '<div class="reckon-live-output" data-reckon-cell="1">\n<p>50</p>' in html
    assert '<span class="reckon-live-value">5</span><span class="reckon-live-state"' in html
    payload = json.loads((outcome.site / "assets/reckon/live" / match[1]).read_text())
    assert payload["modules"] == {"helper.py": HELPER}
    for name in CORE_FILES:
        assert (outcome.site / "assets/reckon/pyodide" / name).is_file()
    assert (outcome.site / "assets/reckon/live/python.json").is_file()
    assert "reckon-live" not in outcome.page("other").split("</head>", 1)[1].replace("assets/reckon/live/live.js", "")


def test_a_site_without_live_pages_does_not_ship_pyodide(site: SiteMaker) -> None:
    outcome = site({"index.md": "# Plain\n\n`{python} 6 * 7 = 42`\n"}).build()
    assert outcome.code == 0, outcome.log
    assert not (outcome.site / "assets/reckon/pyodide").exists()
    assert not (outcome.site / "assets/reckon/live/python.json").exists()


def test_numpy_in_a_live_block_fails_the_build_at_its_line_saying_why(site: SiteMaker) -> None:
    page = "# Live\n\n```{python}\n#| live: true\nimport math\nimport numpy as np\n```\n"
    outcome = site({"index.md": page}).build()
    assert outcome.code == 1
    assert (
        "docs/index.md:6:1: `numpy` is an installed package, not a module of this site: a live block re-runs in the reader's browser "
        "(Pyodide, offline), which has only the standard library and this site's pure-Python modules"
    ) in outcome.log
    assert "reckon: 1 failure (listed above); the build fails" in outcome.log


def test_a_local_module_that_imports_numpy_fails_the_live_block_s_import_naming_both(site: SiteMaker) -> None:
    fixture = site({"index.md": "# Live\n\nText.\n\n```{python}\n#| live: true\nfrom heavy import f\n```\n"})
    fixture.write("heavy.py", '"""Not pure."""\n\nimport numpy\n\ndef f():\n    return numpy.zeros(1)\n')
    outcome = fixture.build()
    assert outcome.code == 1
    assert "docs/index.md:7:1: `heavy` (heavy.py:3), which imports `numpy`, which is an installed package" in outcome.log


def test_a_default_the_input_refuses_fails_the_build_at_the_declaration(site: SiteMaker) -> None:
    page = '# Live\n\n```{python}\n#| live: true\nfrom reckon import live\nS = live.number(0, min=1, label="stride S")\n```\n'
    outcome = site({"index.md": page}).build()
    assert outcome.code == 1
    assert "docs/index.md:6:5: reckon.live.LiveInputError: stride S must be at least 1, not 0" in outcome.log


def test_a_live_block_reading_a_name_that_only_a_block_not_live_sets_fails_the_build(site: SiteMaker) -> None:
    page = "# Live\n\n```{python}\nbase = 7\n```\n\n```{python}\n#| live: true\ntwice = 2 * base\n```\n"
    outcome = site({"index.md": page}).build()
    assert outcome.code == 1
    assert "docs/index.md:7: this live block reads `base`, which the block at line 3 sets; that block is not live" in outcome.log
