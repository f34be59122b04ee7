"""Throwaway MkDocs projects for the build tier, built with the real `mkdocs build` command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path


@dataclass
class BuildOutcome:
    """What ``mkdocs build`` did: its exit code, its log, and the built site."""

    code: int
    log: str
    site: Path

    @property
    def ran(self) -> tuple[int, int]:
        """Pages run and pages from the cache, read from reckon's summary line."""
        match = re.search(r"\((\d+) run, (\d+) from cache\)", self.log)
        assert match, self.log
        return int(match[1]), int(match[2])

    def page(self, name: str) -> str:
        """The built HTML of a page (``index`` or ``other`` for ``other.md``)."""
        path = self.site / ("index.html" if name == "index" else f"{name}/index.html")
        return path.read_text(encoding="utf-8")


@dataclass
class FixtureSite:
    """A throwaway MkDocs project in a temporary folder."""

    root: Path

    def write(self, relative: str, text: str, *, dedent: bool = True) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if dedent else text, encoding="utf-8", newline="")
        return path

    def build(self, *arguments: str, env: dict[str, str] | None = None, timeout: float = 240) -> BuildOutcome:
        """Run ``mkdocs build`` in a subprocess, as an author or CI would."""
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        environment.pop("GITHUB_ACTIONS", None)  # annotations only when a test asks for them
        environment.update(env or {})
        completed = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", *arguments],
            cwd=self.root,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return BuildOutcome(completed.returncode, completed.stdout + completed.stderr, self.root / "site")
