"""KaTeX's stylesheet and scripts in the pages that have math, and a loader in those that have none.

A page with math gets KaTeX's stylesheet in its head and KaTeX's script and the typesetting script
at the end of its body. A page without math asks for none of them; it gets only a few lines of
inline script, which matter on Material's instant navigation: that swaps in the next page's content
without loading its scripts, so when a reader goes from a page without math to one with math, the
loader fetches KaTeX then, once, and the typesetting script (subscribed to Material's ``document$``,
which replays the current page) typesets it.
"""

from __future__ import annotations

import json
import re

# The class pymdownx.arithmatex gives each formula, as an attribute value of its own.
_MATH = re.compile(r"""<(?:span|div)\b[^>]*\bclass=(["'])(?:[^"']*\s)?arithmatex(?:\s[^"']*)?\1""")

LOADER = """<script>/* offline-katex: no math here; fetch KaTeX if instant navigation brings some */
(function (css, scripts) {
  "use strict";
  if (!window.document$ || typeof window.document$.subscribe !== "function") return;
  var base = document.baseURI, started = false;
  var subscription = window.document$.subscribe(function () {
    if (started || window.katex || !document.querySelector(".arithmatex")) return;
    started = true;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL(css, base).href;
    document.head.appendChild(link);
    (function next(i) {
      if (i === scripts.length) return;
      var script = document.createElement("script");
      script.src = new URL(scripts[i], base).href;
      script.onload = function () { next(i + 1); };
      document.body.appendChild(script);
    })(0);
    if (subscription) subscription.unsubscribe();
  });
})(%(css)s, %(scripts)s);
</script>"""


def has_math(content: str) -> bool:
    """Whether a page's rendered content holds a formula (an element of class ``arithmatex``)."""
    return _MATH.search(content) is not None


def add_katex(html: str, *, math: bool, stylesheet: str, scripts: list[str]) -> str:
    """``html`` with KaTeX's stylesheet and scripts (``math``) or the loader (no math) added.

    Args:
        html: A whole page, as the theme rendered it.
        math: Whether the page has math.
        stylesheet: KaTeX's stylesheet, relative to the page.
        scripts: KaTeX's script and then the typesetting script, relative to the page.
    """
    if math:
        html = _before_last(html, "</head>", f'<link rel="stylesheet" href="{_attribute(stylesheet)}">\n')
        tags = "".join(f'<script src="{_attribute(script)}"></script>\n' for script in scripts)
        return _before_last(html, "</body>", tags)
    loader = LOADER % {"css": _script_json(stylesheet), "scripts": _script_json(scripts)}
    return _before_last(html, "</body>", loader + "\n")


def _script_json(value: str | list[str]) -> str:
    """``value`` as JSON that cannot end the inline script it stands in."""
    return json.dumps(value).replace("</", "<\\/")


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")


def _before_last(html: str, marker: str, text: str) -> str:
    index = html.rfind(marker)
    return html + text if index < 0 else html[:index] + text + html[index:]
