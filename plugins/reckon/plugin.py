"""The MkDocs plugin ``reckon``: configuration and events over the engine, nothing more."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ConfigErrors, ConfigWarnings
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from .engine import Build, Engine, EngineSettings, PageSource
from .highlighting import keep_highlighting, remember_highlighting
from .limits import CPU_LIMIT_S, MEMORY_LIMIT_MB, TIMEOUT_S
from .live import site as live_site
from .page.assemble import ASSETS_DIR, plural
from .page.options import read_defaults
from .script import SCRIPT
from .stylesheet import STYLESHEET

# Not get_plugin_logger: its "[reckon]" prefix would push "docs/page.md:LINE:" off the start of the line.
log = logging.getLogger("mkdocs.plugins.reckon")

# What the Markdown that reckon writes needs (fences in admonitions, folded source, captions, tables).
REQUIRED_EXTENSIONS = ["admonition", "attr_list", "tables", "pymdownx.details", "pymdownx.superfences", "pymdownx.blocks.caption"]
STYLESHEET_URI = f"{ASSETS_DIR}/reckon.css"
SCRIPT_URI = f"{ASSETS_DIR}/reckon.js"  # figures full screen on a tap; print keeps folded source folded


class ReckonConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Run the pages' code; with `false` pages render with their code untouched and nothing runs."""
    timeout = c.Type((int, float), default=TIMEOUT_S)
    """Seconds a block or inline expression may run before it is stopped and reported."""
    cache = c.Type(bool, default=True)
    """Keep results between builds, keyed by the pages' code (never their prose)."""
    cache_dir = c.Type(str, default=".cache/plugin/reckon")
    """Where the cache lives, relative to `mkdocs.yml`."""
    concurrency = c.Type(int, default=os.cpu_count() or 1)
    """How many pages run at once."""
    memory_limit = c.Type(int, default=MEMORY_LIMIT_MB)
    """Address-space limit of a page's process in MiB (0: none)."""
    cpu_limit = c.Type(int, default=CPU_LIMIT_S)
    """CPU-time limit of a page's process in seconds (0: none)."""
    verification_note = c.Type(bool, default=True)
    """End every page that has code with a note of what the build verified on it."""
    execute = c.Type(dict, default={})
    """Defaults for every block of the site, as in a page's `execute:` front matter (e.g. `{echo: false}`)."""
    working_dir = c.Choice(("page", "project"), default="page")
    """Where a page's code runs (relative paths resolve): its own file's folder, or the project's."""
    serve_wait = c.Type((int, float), default=1)
    """Under `mkdocs serve`, seconds a page waits for its code before it is served with a notice (it reloads when done)."""


class ReckonPlugin(BasePlugin[ReckonConfig]):
    """Runs the Python in pages, puts results in place, and fails the build on any failure."""

    def __init__(self) -> None:
        self.command: str | None = None  # "build", "serve", "gh-deploy"; None when build() is called directly
        self.engine: Engine | None = None
        self.early: Engine | None = None  # started while MkDocs loads its configuration (see load_config)
        self.run: Build | None = None
        self.server: Any = None  # MkDocs' LiveReloadServer, under `serve`
        self.rebuild_wanted = False  # a result landed before the server was there to rebuild
        self.watched: set[str] = set()  # folders watched for the pages' dependencies
        self.depended_on: set[str] = set()
        self.live_runtime = False  # whether this build added the browser's runtime (a page is live)

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> tuple[ConfigErrors, ConfigWarnings]:
        """Read this plugin's options, and on a cold start begin importing the page server right away.

        The server (NumPy, matplotlib) takes longer to start than MkDocs takes to load the rest of
        its configuration, its theme and other plugins: started here rather than at ``on_config``,
        the two overlap, and the first page runs sooner. Only a few options are known this early,
        so this engine only warms the server (shared by every engine of the process); the one
        made at ``on_config`` runs the pages.
        """
        errors, warnings = super().load_config(options, config_file_path)
        if not errors and self.engine is None and self.early is None and self.config.enabled and self.config.concurrency >= 1:
            project = Path(config_file_path or ".").resolve().parent
            cache_dir = (project / self.config.cache_dir) if self.config.cache else None
            self.early = Engine(
                EngineSettings(project_dir=project, concurrency=self.config.concurrency, cache_dir=cache_dir), log.info, log.warning
            )
            self.early.warm_if_cold(ahead=False)
        return errors, warnings

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        if self.config.timeout <= 0 or self.config.concurrency < 1 or self.config.serve_wait < 0:
            raise PluginError("reckon: `timeout` must be positive, `concurrency` at least 1 and `serve_wait` not negative")
        defaults, problems = read_defaults(self.config.execute)
        if problems:
            raise PluginError("reckon: " + "; ".join(message for _key, message in problems))
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        config.extra_css.append(STYLESHEET_URI)
        if SCRIPT_URI not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(SCRIPT_URI)
        # Live pages: an inert script until a page has inputs; their outputs are wrapped in md_in_html's divs.
        config.extra_css.append(live_site.STYLESHEET)
        config.extra_javascript.append(live_site.SCRIPT)
        if "md_in_html" not in config.markdown_extensions:
            config.markdown_extensions.append("md_in_html")
        project = Path(config.config_file_path or ".").resolve().parent
        # Every build (and every rebuild of `mkdocs serve`) shows the same source again.
        remember_highlighting((project / self.config.cache_dir / "highlighted.json") if self.config.cache else None)
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
            execute=tuple(defaults.items()),
            working_dir=self.config.working_dir,
        )
        if self.engine is None or self.engine.settings != settings:
            if self.engine is not None:
                self.engine.stop()
            self.engine = Engine(settings, log=log.info, warn=log.warning)
            self.engine.on_ready = self._result_landed
        self.engine.warm_if_cold()
        return config

    # Early, so that pages start running while MkDocs and other plugins are still busy.
    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.engine is None:
            return files
        files.append(File.generated(config, STYLESHEET_URI, content=STYLESHEET))
        files.append(File.generated(config, SCRIPT_URI, content=SCRIPT))
        for uri, content in live_site.page_assets().items():
            files.append(File.generated(config, uri, content=content))
        self.live_runtime = False
        self.run = self.engine.build(wait=float(self.config.serve_wait) if self.command == "serve" else None)
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
        summary, run, self.run = self.run.summary(), self.run, None
        keep_highlighting()
        log.info("reckon: %s", summary)
        if self.command is None:
            self._stop()
        elif self.command == "serve" and self.engine is not None:
            self.engine.warm()  # so that the first code edit does not wait for NumPy to import
            docs = Path(config.docs_dir).resolve()
            self.depended_on = {str(path.parent) for path in run.dependencies if not path.is_relative_to(docs)}
            self._watch_dependencies()
        if summary.failures and self.command != "serve":
            raise PluginError(f"reckon: {plural(summary.failures, 'failure')} (listed above); the build fails")

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        self.server = server
        self._watch_dependencies()
        if self.rebuild_wanted:
            self._result_landed()
        return server

    def _watch_dependencies(self) -> None:
        """Rebuild when a file outside docs/ that a page imported or read changes (its folder is watched)."""
        if self.server is None:
            return
        for folder in sorted(self.depended_on - self.watched):
            if os.path.isdir(folder):
                self.server.watch(folder, recursive=False)
                self.watched.add(folder)
        for folder in sorted(self.watched - self.depended_on):
            self.server.unwatch(folder)
            self.watched.discard(folder)

    def _result_landed(self) -> None:
        """A page served while its code ran has its result: rebuild, and the browser reloads it."""
        self.rebuild_wanted = True  # first: on_serve, setting the server meanwhile, then sees it
        condition = getattr(self.server, "_rebuild_cond", None)
        if condition is None:  # no server yet (the first build; on_serve asks), or not MkDocs' own
            return
        self.rebuild_wanted = False
        with condition:  # what the server's own file watcher does on a change (MkDocs 1.x internals)
            self.server._want_rebuild = True
            condition.notify_all()

    def on_build_error(self, *, error: Exception) -> None:
        self.run = None
        if self.command is None:
            self._stop()

    def on_shutdown(self) -> None:
        self._stop()

    def _stop(self) -> None:
        if self.early is not None:
            self.early.stop()
            self.early = None
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
