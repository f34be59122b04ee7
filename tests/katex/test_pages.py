"""Which pages ask for KaTeX: the ones with math get its stylesheet and scripts; the others a loader only."""

from __future__ import annotations

import re

from fake_katex import katex_requests
from offline_katex.pages import add_katex, has_math

PAGE = "<html><head><title>t</title></head><body><p>text</p><script src='bundle.js'></script></body></html>"
SCRIPTS = ["../assets/katex/katex.min.js", "../assets/katex/typeset.js"]


def test_math_is_an_element_of_class_arithmatex_and_nothing_else() -> None:
    assert has_math('<p>Inline <span class="arithmatex">\\(a\\)</span></p>')
    assert has_math('<div class="arithmatex wide">\\[a\\]</div>')
    assert not has_math("<p>the word arithmatex, and \\(a\\) in prose</p>")
    assert not has_math('<code>&lt;span class="arithmatex"&gt;</code>')
    assert not has_math('<span class="not-arithmatex">x</span>')


def test_a_page_with_math_gets_the_stylesheet_in_its_head_and_both_scripts_after_the_theme() -> None:
    html = add_katex(PAGE, math=True, stylesheet="../assets/katex/katex.min.css", scripts=SCRIPTS)
    head, body = html.split("</head>")
    assert '<link rel="stylesheet" href="../assets/katex/katex.min.css">' in head
    scripts = re.findall(r"""<script src=["']([^"']+)""", body)
    assert scripts == ["bundle.js", *SCRIPTS]
    assert "offline-katex: no math here" not in html


def test_a_page_without_math_loads_nothing_of_katex_and_carries_the_loader() -> None:
    html = add_katex(PAGE, math=False, stylesheet="../assets/katex/katex.min.css", scripts=SCRIPTS)
    assert katex_requests(html) == []
    assert "offline-katex: no math here" in html
    assert '["../assets/katex/katex.min.js", "../assets/katex/typeset.js"]' in html
    assert html.index("offline-katex: no math here") < html.index("</body>")


def test_the_loader_cannot_be_ended_by_a_path() -> None:
    html = add_katex(PAGE, math=False, stylesheet="</script><script>alert(1)//.css", scripts=SCRIPTS)
    loader = html[html.index("offline-katex: no math here") :]
    assert loader.count("</script>") == 1
