"""offline_katex: KaTeX from the npm registry, installed without Node and served by the site itself.

``python -m offline_katex install`` downloads the pinned ``katex`` tarball, checks it against its
pinned sha512 integrity, and keeps only what a site needs (the minified CSS and JavaScript and the
woff2 fonts) in this environment's ``share/offline-katex/<version>/``. The MkDocs plugin
``offline-katex`` (``offline_katex.plugin``) copies those files into the built site and typesets
pymdownx.arithmatex's ``generic`` output with them, so math renders with no request to any other
origin. Nothing of KaTeX is committed to the repository.
"""

from __future__ import annotations

from .installer import Installation, InstallError, find_installation, install
from .release import KATEX, Release, default_root

__all__ = ["KATEX", "InstallError", "Installation", "Release", "default_root", "find_installation", "install"]
