"""The script that typesets pymdownx.arithmatex's ``generic`` output with KaTeX in the browser.

arithmatex writes inline math as ``<span class="arithmatex">\\(…\\)</span>`` and display math as
``<div class="arithmatex">\\[…\\]</div>``. The script renders exactly those elements (never other
text that happens to hold a ``\\(``), once each, when the page loads and again after each of
Material's instant navigations, which swap the page's content without reloading scripts and
announce the new document on ``document$``. A formula KaTeX cannot parse is left as written and
reported with ``console.error``, which the browser tests treat as a failure.
"""

from __future__ import annotations

TYPESET_SCRIPT = rb"""/* offline-katex: typeset pymdownx.arithmatex's generic output with KaTeX. */
(function () {
  "use strict";
  var WRAPS = { SPAN: ["\\(", "\\)", false], DIV: ["\\[", "\\]", true] };

  function typeset(root) {
    var elements = root.querySelectorAll(".arithmatex:not([data-katex])");
    for (var i = 0; i < elements.length; i++) {
      var element = elements[i];
      var wrap = WRAPS[element.tagName];
      var source = element.textContent.trim();
      if (!wrap || source.slice(0, 2) !== wrap[0] || source.slice(-2) !== wrap[1]) {
        element.setAttribute("data-katex", "error");
        console.error("offline-katex: not arithmatex's generic output: " + element.outerHTML);
        continue;
      }
      try {
        katex.render(source.slice(2, -2), element, { displayMode: wrap[2], throwOnError: true });
        element.setAttribute("data-katex", "typeset");
      } catch (error) {
        element.setAttribute("data-katex", "error");
        console.error("offline-katex: KaTeX cannot typeset " + source + ": " + error.message);
      }
    }
    if (elements.length) document.dispatchEvent(new CustomEvent("offline-katex:typeset"));  // widths changed
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { typeset(document.body); });  // Material, instant or not
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { typeset(document.body); });
  } else {
    typeset(document.body);
  }
})();
"""
