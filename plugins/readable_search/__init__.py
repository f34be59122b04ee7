"""readable_search: the site's search index in words a reader reads, not in TeX or run-together text.

``text`` holds the transforms (pure functions, no MkDocs); ``hooks/readable_search.py`` applies
them around Material's search plugin.
"""

from __future__ import annotations

from .text import number_variants, searchable_html, tex_to_text

__all__ = ["number_variants", "searchable_html", "tex_to_text"]
