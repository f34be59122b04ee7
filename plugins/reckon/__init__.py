"""reckon: run the Python in Markdown pages at build time and check prose against computation.

What pages import from here: :class:`Table` (a block that ends with one shows a Markdown table),
:class:`Formula` (a formula shown with symbols, with numbers, and evaluated) and :mod:`theme`
(colours that follow the site's light/dark palette in figures). The MkDocs plugin itself is
``reckon.plugin``; nothing here imports MkDocs, NumPy or matplotlib.
"""

from __future__ import annotations

from .authoring import theme
from .authoring.formula import Formula
from .authoring.table import Table

__version__ = "0.1.0"
__all__ = ["Formula", "Table", "__version__", "theme"]
