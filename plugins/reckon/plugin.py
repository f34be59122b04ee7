"""The MkDocs plugin ``reckon``: configuration and events over the engine, nothing more."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from .assembly import ASSETS_DIR, plural
from .engine import Build, Engine, EngineSettings, PageSource
from .live import site as live_site
from .style import STYLESHEET

# Not get_plugin_logger: its "[reckon]" prefix would push "docs/page.md:LINE:" off the start of the line.
log = logging.getLogger("mkdocs.plugins.reckon")

# What the Markdown that reckon writes needs (fences in admonitions, folded source, captions, tables).
REQUIRED_EXTENSIONS = ["admonition", "attr_list", "tables", "pymdownx.details", "pymdownx.superfences", "pymdownx.blocks.caption"]
STYLESHEET_URI = f"{ASSETS_DIR}/reckon.css"


class ReckonConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Run the pages' code; with `false` pages render with their code untouched and nothing runs."""
    timeout = c.Type((int, float), default=30)
    """Seconds a block or inline expression may run before it is stopped and reported."""
    cache = c.Type(bool, default=True)
    """Keep results between builds, keyed by the pages' code (never their prose)."""
    cache_dir = c.Type(str, default=".cache/plugin/reckon")
    """Where the cache lives, relative to `mkdocs.yml`."""
    concurrency = c.Type(int, default=os.cpu_count() or 1)
    """How many pages run at once."""
    memory_limit = c.Type(int, default=4096)
    """Address-space limit of a page's process in MiB (0: none)."""
    cpu_limit = c.Type(int, default=600)
    """CPU-time limit of a page's process in seconds (0: none)."""
    verification_note = c.Type(bool, default=True)
    """End every page that has code with a note of what the build verified on it."""


class ReckonPlugin(BasePlugin[ReckonConfig]):
    """Runs the Python in pages, puts results in place, and fails the build on any failure."""

    def __init__(self) -> None:
        self.command: str | None = None  # "build", "serve", "gh-deploy"; None when build() is called directly
        self.engine: Engine | None = None
        self.run: Build | None = None
        self.live_runtime = False  # whether this build added the browser's runtime (a page is live)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        if self.config.timeout <= 0 or self.config.concurrency < 1:
            raise PluginError("reckon: `timeout` must be positive and `concurrency` at least 1")
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        config.extra_css.append(STYLESHEET_URI)
        # Live pages: an inert script until a page has inputs; their outputs are wrapped in md_in_html's divs.
        config.extra_css.append(live_site.STYLESHEET)
        config.extra_javascript.append(live_site.SCRIPT)
        if "md_in_html" not in config.markdown_extensions:
            config.markdown_extensions.append("md_in_html")
        project = Path(config.config_file_path or ".").resolve().parent
        settings = EngineSettings(
            project_dir=project,
            timeout=float(self.config.timeout),
            concurrency=self.config.concurrency,
            cache_dir=(project / self.config.cache_dir) if self.config.cache else None,
            memory_limit_mb=self.config.memory_limit,
            cpu_limit_s=self.config.cpu_limit,
            ignored_dirs=(Path(config.site_dir).resolve(),),
            math="pymdownx.arithmatex" in config.markdown_extensions,
            note=self.config.verification_note,
        )
        if self.engine is None or self.engine.settings != settings:
            if self.engine is not None:
                self.engine.stop()
            self.engine = Engine(settings, log=log.info, warn=log.warning)
        self.engine.warm_if_cold()
        return config

    # Early, so that pages start running while MkDocs and other plugins are still busy.
    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.engine is None:
            return files
        files.append(File.generated(config, STYLESHEET_URI, content=STYLESHEET))
        for uri, content in live_site.page_assets().items():
            files.append(File.generated(config, uri, content=content))
        self.live_runtime = False
        self.run = self.engine.build()
        for file in files.documentation_pages():
            source = file.content_string
            markdown, _meta = get_data(source)
            self.run.prefetch(_page_source(file, markdown, self.engine.settings.project_dir, source))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.run is None or self.engine is None:
            return markdown
        rendered = self.run.render(_page_source(page.file, markdown, self.engine.settings.project_dir))
        for diagnostic in rendered.diagnostics:
            detail = ("\n" + "\n".join("    " + line for line in diagnostic.detail.splitlines())) if diagnostic.detail else ""
            log.error("%s%s", diagnostic, detail)
            if os.environ.get("GITHUB_ACTIONS") == "true":
                print(diagnostic.github_annotation(), flush=True)
        for uri, content in rendered.files.items():
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=content))
        if rendered.live and not self.live_runtime:
            self._add_live_runtime(files, config)
        return rendered.markdown

    def _add_live_runtime(self, files: Files, config: MkDocsConfig) -> None:
        """Pyodide and reckon's Python for the browser, once per build, when a page is live."""
        try:
            runtime = live_site.runtime_assets()
        except live_site.MissingRuntime as error:
            raise PluginError(f"reckon: {error}") from error
        for uri, source in runtime.items():
            if files.get_file_from_path(uri) is None:
                if isinstance(source, bytes):
                    files.append(File.generated(config, uri, content=source))
                else:
                    files.append(File.generated(config, uri, abs_src_path=str(source)))
        self.live_runtime = True

    # Last, so that the summary comes after everything else the build reports.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.run is None:
            return
        summary, self.run = self.run.summary(), None
        log.info("reckon: %s", summary)
        if self.command is None:
            self._stop()
        elif self.command == "serve" and self.engine is not None:
            self.engine.warm()  # so that the first code edit does not wait for NumPy to import
        if summary.failures and self.command != "serve":
            raise PluginError(f"reckon: {plural(summary.failures, 'failure')} (listed above); the build fails")

    def on_build_error(self, *, error: Exception) -> None:
        self.run = None
        if self.command is None:
            self._stop()

    def on_shutdown(self) -> None:
        self._stop()

    def _stop(self) -> None:
        if self.engine is not None:
            self.engine.stop()
            self.engine = None


def _page_source(file: File, markdown: str, project: Path, source: str | None = None) -> PageSource:
    """The page as the engine sees it: its file line numbers count the front matter too."""
    source = file.content_string if source is None else source
    first_line = source[: len(source) - len(markdown)].count("\n") + 1 if source.endswith(markdown) else 1
    path = Path(file.abs_src_path or file.src_path)
    relative = os.path.relpath(path, project) if path.is_absolute() else str(path)
    return PageSource(relative.replace(os.sep, "/"), file.src_uri, markdown, first_line, source)
