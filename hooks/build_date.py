"""MkDocs hook: date the build by the last commit, so that one commit always builds the same bytes.

MkDocs dates the sitemap (every page's ``<lastmod>``, and the timestamp in ``sitemap.xml.gz``) by
``SOURCE_DATE_EPOCH``, or by the clock when that is unset, so two builds of one commit made on
different days differed. Unless ``SOURCE_DATE_EPOCH`` is set already, this sets it to the commit
time of ``HEAD``; outside a git checkout the build keeps MkDocs' own behaviour.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> None:
    if "SOURCE_DATE_EPOCH" in os.environ:
        return
    project = Path(config.config_file_path or ".").resolve().parent
    try:
        completed = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=project, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):  # no git: the clock dates the build
        return
    stamp = completed.stdout.strip()
    if completed.returncode == 0 and stamp.isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = stamp
