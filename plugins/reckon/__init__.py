"""reckon: run the Python in Markdown pages at build time and check prose against computation."""

__version__ = "0.1.0"
