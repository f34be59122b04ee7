"""The MkDocs plugin ``offline-katex``: serve the installed KaTeX from the site and typeset math with it.

Only pages with math ask for KaTeX (``pages.add_katex``); the others carry a loader for Material's
instant navigation.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .installer import SCRIPT, STYLESHEET, Installation, find_installation
from .pages import add_katex, has_math
from .release import KATEX, default_root
from .typeset import TYPESET_SCRIPT

TYPESET = "typeset.js"


class OfflineKatexConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Typeset math with KaTeX; with `false` the plugin adds nothing to the site."""
    install_root = c.Optional(c.Type(str))
    """The folder KaTeX was installed under (`install --root`), relative to `mkdocs.yml`.

    Default: this environment's `share/offline-katex`."""
    assets_dir = c.Type(str, default="assets/katex")
    """Where KaTeX's files go in the built site."""


class OfflineKatexPlugin(BasePlugin[OfflineKatexConfig]):
    """Adds KaTeX's files and a typesetting script to the site; fails the build if KaTeX is missing."""

    def __init__(self) -> None:
        self.installation: Installation | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        if (
            "pymdownx.arithmatex" not in config.markdown_extensions
            or config.mdx_configs.get("pymdownx.arithmatex", {}).get("generic") is not True
        ):
            raise PluginError(
                "offline-katex typesets pymdownx.arithmatex's generic output: "
                "add `- pymdownx.arithmatex: {generic: true}` to markdown_extensions in mkdocs.yml"
            )
        project = Path(config.config_file_path or ".").resolve().parent
        root = project / self.config.install_root if self.config.install_root else default_root()
        self.installation = find_installation(KATEX, root)
        if self.installation is None:
            raise PluginError(f"offline-katex: KaTeX {KATEX.version} is not installed in {root}; run: {_install_command(root)}")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.installation is None:
            return files
        assets = self._assets()
        for name in (*self.installation.files, TYPESET):
            if files.get_file_from_path(f"{assets}/{name}") is not None:
                raise PluginError(
                    f"offline-katex: {config.docs_dir}/{assets}/{name} is in the way of KaTeX's own; move it, or set `assets_dir`"
                )
        for name in self.installation.files:
            files.append(File.generated(config, f"{assets}/{name}", abs_src_path=str(self.installation.folder / name)))
        files.append(File.generated(config, f"{assets}/{TYPESET}", content=TYPESET_SCRIPT))
        return files

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """KaTeX's stylesheet and scripts on a page with math; on a page without, only a loader for instant navigation."""
        if self.installation is None:
            return output
        assets = self._assets()
        stylesheet = get_relative_url(f"{assets}/{STYLESHEET}", page.url)
        scripts = [get_relative_url(f"{assets}/{name}", page.url) for name in (SCRIPT, TYPESET)]  # the second calls the first
        return add_katex(output, math=has_math(page.content or ""), stylesheet=stylesheet, scripts=scripts)

    def _assets(self) -> str:
        return self.config.assets_dir.strip("/")


def _install_command(root: Path) -> str:
    """The command that installs KaTeX where this build looks, with this environment's Python."""
    python = Path(sys.executable)
    try:
        shown = os.path.relpath(python) if python.is_relative_to(Path.cwd()) else str(python)
    except ValueError:  # another drive, on Windows
        shown = str(python)
    option = "" if root == default_root() else f" --root {root}"
    return f"{shown} -m offline_katex install{option}"
