"""Measure reckon against a plain MkDocs build and against markdown-exec, side by side in one run.

Generates a synthetic site of N pages, each with K blocks of NumPy work, inline values, claims and
one figure, written once in reckon's syntax and once in markdown-exec's; then measures, with the
scenarios interleaved so that a noisy neighbour slows all of them alike:

* ``mkdocs build`` with reckon disabled (the plain build), of reckon's own output without reckon
  (the control: what rendering the Markdown reckon writes costs), reckon cold (empty cache),
  reckon warm, reckon after a prose-only edit, reckon after a code edit of one page, and
  markdown-exec;
* the same for this project's own site (a copy of it): reckon cold, warm, and its control;
* the edit-to-reload time of ``mkdocs serve`` (file written → the served page shows the edit) for
  a prose edit and a code edit, for reckon, for markdown-exec, and for the plain site;
* how the cost grows: synthetic sites of 10, 40 and 160 pages, cold and warm, for reckon,
  markdown-exec and plain MkDocs, and the memory of the page processes (an untimed build of each,
  sampled from ``/proc``).

It prints a table of medians and ratios against the targets, and writes it with the machine it ran
on to ``benchmarks/results/site.json`` (the site's Performance page shows that file).

Usage: ``python benchmarks/site_benchmark.py [--pages 20] [--blocks 5] [--repeat 3] [--scale 10,40,160]``;
``--tiny`` runs every part once on a site of a few pages (what the tests do: the numbers mean
nothing, the code path is kept working).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
RESULTS = HERE / "results" / "site.json"
MKDOCS = [sys.executable, "-m", "mkdocs"]
MATRIX = 120  # each block multiplies a MATRIX×MATRIX matrix by its transpose and finds its eigenvalues
# A fixed date for the sitemap: the project's hook would otherwise ask git, in every build alike.
ENVIRONMENT = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764547200"}
#: How every build of a run finds its bytecode (see :func:`bytecode_as_installed`).
BYTECODE = "cached in a folder of the run's own (PYTHONPYCACHEPREFIX), as an installed package has it"


@contextlib.contextmanager
def bytecode_as_installed(workspace: Path) -> Iterator[None]:
    """Let every build of the run keep its modules' bytecode, in ``workspace``, as any installation would.

    This workplace sets PYTHONDONTWRITEBYTECODE. Every other package here is a wheel whose
    bytecode was written when it was installed, but reckon is installed editable (its plain source
    files), so with that setting each build, and each page server, would compile reckon's modules
    again: a cost that no installation of reckon has, paid by reckon alone. Every scenario gets the
    same setting, and the servers that ``page_times`` starts in this process too.
    """
    environments: tuple[dict[str, str] | os._Environ[str], ...] = (os.environ, ENVIRONMENT)
    names = ("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE")
    saved = [{name: environment.get(name) for name in names} for environment in environments]
    for environment in environments:
        environment["PYTHONPYCACHEPREFIX"] = str(workspace / "bytecode")
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        yield
    finally:
        for environment, values in zip(environments, saved, strict=True):
            for name, value in values.items():
                if value is None:
                    environment.pop(name, None)
                else:
                    environment[name] = value


# What the real site's copy needs to build: its pages, configuration, hooks, theme overrides, and
# the result files its Performance page reads.
REAL_SITE_PARTS = ("docs", "mkdocs.yml", "hooks", "overrides", "benchmarks/results")
# Left out of the copy: the Performance page shows the results this run is about to write, and
# could not build from results of another shape (an earlier version of this benchmark).
REAL_SITE_LEFT_OUT = ("performance.md",)
CONTROL_CONFIG = "mkdocs-control.yml"

# The same Markdown extensions for all three sites: those a site that uses reckon configures
# (reckon's output needs them), so that the plain build differs only in running no code.
CONFIG = """\
site_name: benchmark
theme: {{name: material, font: false}}
docs_dir: {docs}
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.blocks.caption
  - pymdownx.arithmatex: {{generic: true}}
plugins:
  - search
{plugins}
{extra}"""


@dataclass(frozen=True)
class Settings:
    """What one run measures."""

    pages: int = 20
    blocks: int = 5
    repeat: int = 3
    edits: int = 7  # serve reloads per scenario: their times spread over the watcher's cycle
    scale: tuple[int, ...] = (10, 40, 160)
    scale_repeat: int = 3
    real_site: bool = True
    output: Path = RESULTS

    @property
    def command(self) -> str:
        scale = ",".join(map(str, self.scale))
        return f"python benchmarks/site_benchmark.py --pages {self.pages} --blocks {self.blocks} --repeat {self.repeat} --scale {scale}"


TINY = Settings(pages=2, blocks=1, repeat=1, edits=1, scale=(2, 3), scale_repeat=1)


# ---------------------------------------------------------------------------------------------
# The synthetic site


def reckon_page(index: int, blocks: int, edit: int = 0, marker: str = "", *, layout: bool = True) -> str:
    """A page in reckon's syntax: K blocks of NumPy work, inline values, claims, one figure.

    Without ``layout``, the figure is drawn without reckon's constrained layout (``layout="none"``,
    as markdown-exec's is): what the house style's layout costs, measured, not a way to build.
    """
    subplots = "figsize=(6, 3)" if layout else 'figsize=(6, 3), layout="none"'
    parts = [
        f"# Page {index}\n\nIntro to page {index}. {marker}\n",
        f"```{{python}}\n#| echo: false\nimport numpy as np\nrng = np.random.default_rng({index + edit})\n```\n",
    ]
    for block in range(blocks):
        parts.append(
            f"## Block {block}\n\n```{{python}}\na{block} = rng.standard_normal(({MATRIX}, {MATRIX}))\n"
            f"g{block} = a{block} @ a{block}.T\ntrace{block} = float(np.trace(g{block}))\n"
            f"top{block} = float(np.linalg.eigvalsh(g{block})[-1])\n```\n\n"
            f"The trace is `{{python}} round(trace{block}, 2)`, the largest eigenvalue "
            f'`{{python}} f"{{top{block}:.3f}}"`, and the matrix is `{{python}} g{block}.shape = {MATRIX}×{MATRIX}`, '
            f"of `{{python}} g{block}.size = {MATRIX * MATRIX:,}` entries.\n"
        )
    parts.append(
        '```{python}\n#| echo: fold\n#| fig-alt: "A random walk"\nimport matplotlib.pyplot as plt\n'
        f"fig, ax = plt.subplots({subplots})\nax.plot(np.cumsum(rng.standard_normal(500)))\n```\n"
    )
    return "\n".join(parts)


def mdexec_page(index: int, blocks: int, edit: int = 0, marker: str = "", *, source: bool = True) -> str:
    """The same page in markdown-exec's syntax (a session per page; figures printed as SVG).

    With ``source``, the blocks whose source reckon's page shows (all but the first, hidden with
    ``echo: false``) show theirs too (``source="above"``), so that both sites render the same code;
    without, only their results (markdown-exec's default).
    """
    session = f'exec="on" session="page-{index}"'
    shown = f'{session} source="above"' if source else session
    parts = [
        f"# Page {index}\n\nIntro to page {index}. {marker}\n",
        f"```python {session}\nimport numpy as np\nrng = np.random.default_rng({index + edit})\n```\n",
    ]
    for block in range(blocks):
        parts.append(
            f"## Block {block}\n\n```python {shown}\na{block} = rng.standard_normal(({MATRIX}, {MATRIX}))\n"
            f"g{block} = a{block} @ a{block}.T\ntrace{block} = float(np.trace(g{block}))\n"
            f"top{block} = float(np.linalg.eigvalsh(g{block})[-1])\n"
            f'print(f"The trace is {{round(trace{block}, 2)}}, the largest eigenvalue {{top{block}:.3f}}, '
            f'and the matrix is {{g{block}.shape}}, of {{g{block}.size:,}} entries.")\n```\n'
        )
    parts.append(
        f'```python {shown} html="on"\nimport io\nimport matplotlib.pyplot as plt\n'
        "fig, ax = plt.subplots(figsize=(6, 3))\nax.plot(np.cumsum(rng.standard_normal(500)))\n"
        'buffer = io.StringIO()\nfig.savefig(buffer, format="svg")\nplt.close(fig)\nprint(buffer.getvalue())\n```\n'
    )
    return "\n".join(parts)


@dataclass
class Project:
    """A MkDocs project (generated, or a copy of this one) and how to rewrite one of its pages."""

    root: Path
    config: str
    write_page: Callable[[int, int, int, str], str] = reckon_page
    pages: int = 0
    blocks: int = 0
    docs: str = "docs"
    codes: dict[int, int] = field(default_factory=dict)  # each page's current code variant

    def write_all(self) -> None:
        for index in range(self.pages):
            self.edit(index)

    def page_path(self, index: int) -> Path:
        return self.root / self.docs / f"page{index:02d}.md"

    def edit(self, index: int, *, code: int | None = None, marker: str = "") -> None:
        """Rewrite a page: with ``code`` its code changes; without, only its prose (``marker``)."""
        if code is not None:
            self.codes[index] = code
        path = self.page_path(index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.write_page(index, self.blocks, self.codes.get(index, 0), marker), encoding="utf-8")

    def command(self, site: Path) -> list[str]:
        return [*MKDOCS, "build", "-q", "-f", self.config, "-d", str(site)]

    def build(self, site: Path) -> float:
        started = time.perf_counter()
        completed = subprocess.run(self.command(site), cwd=self.root, env=ENVIRONMENT, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if completed.returncode != 0:
            raise RuntimeError(f"build failed in {self.root}:\n{completed.stdout}{completed.stderr}")
        return elapsed

    def clear_cache(self) -> None:
        shutil.rmtree(self.root / ".cache", ignore_errors=True)


@dataclass(frozen=True)
class Sites:
    """The synthetic site of one size in its three forms (the plain one shares reckon's pages)."""

    plain: Project
    reckon: Project
    mdexec: Project
    mdexec_results_only: Project
    reckon_without_layout: Project  # reckon's pages with the figure drawn without constrained layout


def make_sites(workspace: Path, pages: int, blocks: int) -> Sites:
    reckon_root, mdexec_root = workspace / "reckon-site", workspace / "markdown-exec-site"
    results_only_root = workspace / "markdown-exec-results-only-site"
    without_layout_root = workspace / "reckon-without-layout-site"
    for root in (reckon_root, mdexec_root, results_only_root, without_layout_root):
        root.mkdir(parents=True)
    (without_layout_root / "mkdocs.yml").write_text(CONFIG.format(docs="docs", plugins="  - reckon", extra=""), encoding="utf-8")
    (reckon_root / "mkdocs.yml").write_text(CONFIG.format(docs="docs", plugins="  - reckon", extra=""), encoding="utf-8")
    plain_plugins = "  - reckon:\n      enabled: false"
    (reckon_root / "mkdocs-plain.yml").write_text(CONFIG.format(docs="docs", plugins=plain_plugins, extra=""), encoding="utf-8")
    control = CONFIG.format(docs="docs-control", plugins=plain_plugins, extra=f"extra_css: [{stylesheet_uri()}]\n")
    (reckon_root / CONTROL_CONFIG).write_text(control, encoding="utf-8")
    for root in (mdexec_root, results_only_root):
        (root / "mkdocs.yml").write_text(CONFIG.format(docs="docs", plugins="  - markdown-exec", extra=""), encoding="utf-8")
    reckon = Project(reckon_root, "mkdocs.yml", reckon_page, pages, blocks)
    plain = Project(reckon_root, "mkdocs-plain.yml", reckon_page, pages, blocks)
    mdexec = Project(mdexec_root, "mkdocs.yml", mdexec_page, pages, blocks)
    results_only = Project(results_only_root, "mkdocs.yml", functools.partial(mdexec_page, source=False), pages, blocks)
    without_layout = Project(without_layout_root, "mkdocs.yml", functools.partial(reckon_page, layout=False), pages, blocks)
    for project in (reckon, mdexec, results_only, without_layout):
        project.write_all()
    return Sites(plain, reckon, mdexec, results_only, without_layout)


def copy_real_site(workspace: Path) -> Project:
    """A copy of this project's site (but :data:`REAL_SITE_LEFT_OUT`), with a control configuration
    beside its own (see :func:`export_output`)."""
    from mkdocs.utils.yaml import yaml_load

    root = workspace / "real-site"
    for part in REAL_SITE_PARTS:
        source, target = PROJECT / part, root / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            left_out = REAL_SITE_LEFT_OUT if part == "docs" else ()
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", *left_out))
        else:
            shutil.copy(source, target)
    with open(root / "mkdocs.yml", encoding="utf-8") as stream:
        config: dict[str, Any] = yaml_load(stream)
    if "nav" in config:
        config["nav"] = [
            entry for entry in config["nav"] if not (isinstance(entry, dict) and set(entry.values()) <= set(REAL_SITE_LEFT_OUT))
        ]
    plugins = [
        {"reckon": {"enabled": False}} if plugin == "reckon" or (isinstance(plugin, dict) and "reckon" in plugin) else plugin
        for plugin in config.get("plugins", [])
    ]
    control = {**config, "docs_dir": "docs-control", "plugins": plugins, "extra_css": [*config.get("extra_css", []), stylesheet_uri()]}
    # YAML is a superset of JSON: MkDocs reads these as it reads any configuration.
    (root / "mkdocs.yml").write_text(json.dumps(config, indent=2, ensure_ascii=False), encoding="utf-8")
    (root / CONTROL_CONFIG).write_text(json.dumps(control, indent=2, ensure_ascii=False), encoding="utf-8")
    return Project(root, "mkdocs.yml")


# ---------------------------------------------------------------------------------------------
# Builds


@dataclass
class Samples:
    """Timings of each scenario, in seconds."""

    times: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.times.setdefault(name, []).append(seconds)

    def median(self, name: str) -> float:
        return statistics.median(self.times[name])


def stylesheet_uri() -> str:
    sys.path.insert(0, str(PROJECT / "plugins"))
    from reckon.plugin import STYLESHEET_URI

    return STYLESHEET_URI


def export_output(project: Project) -> Project:
    """The control: a plain project of the Markdown reckon makes of ``project``'s pages (figures and
    stylesheet included), read from its cache. Building it costs what rendering reckon's output
    costs, without reckon. It lives beside the project (``docs-control/``, :data:`CONTROL_CONFIG`),
    so that it shares its theme overrides and hooks."""
    sys.path.insert(0, str(PROJECT / "plugins"))
    from mkdocs.utils.meta import get_data

    from reckon.engine import Engine, EngineSettings, PageSource
    from reckon.stylesheet import STYLESHEET

    docs, target = project.root / project.docs, project.root / "docs-control"
    shutil.rmtree(target, ignore_errors=True)
    settings = EngineSettings(project_dir=project.root, cache_dir=project.root / ".cache" / "plugin" / "reckon")
    engine = Engine(settings, log=lambda message: None, warn=print)
    try:
        build = engine.build()
        for page in sorted(docs.rglob("*.md")):
            source = page.read_text(encoding="utf-8")
            markdown, _meta = get_data(source)
            front = source[: len(source) - len(markdown)] if source.endswith(markdown) else ""
            src_uri = page.relative_to(docs).as_posix()
            path = page.relative_to(project.root).as_posix()
            rendered = build.render(PageSource(path, src_uri, markdown, front.count("\n") + 1, source))
            written = target / src_uri
            written.parent.mkdir(parents=True, exist_ok=True)
            written.write_text(front + rendered.markdown, encoding="utf-8")
            for uri, content in rendered.files.items():
                (target / uri).parent.mkdir(parents=True, exist_ok=True)
                (target / uri).write_bytes(content)
        assert build.summary().executed == 0, "the output is read from the cache, not run again"
    finally:
        engine.stop()
    for extra in docs.rglob("*"):  # anything else the docs folder holds (images, stylesheets)
        if extra.is_file() and extra.suffix != ".md" and not (target / extra.relative_to(docs)).exists():
            (target / extra.relative_to(docs)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(extra, target / extra.relative_to(docs))
    stylesheet = target / stylesheet_uri()
    stylesheet.parent.mkdir(parents=True, exist_ok=True)
    stylesheet.write_bytes(STYLESHEET)
    return Project(project.root, CONTROL_CONFIG, project.write_page, project.pages, project.blocks, docs="docs-control")


def measure_builds(sites: Sites, repeat: int, samples: Samples, workspace: Path) -> None:
    plain, reckon, mdexec = sites.plain, sites.reckon, sites.mdexec
    site = workspace / "out"
    # One untimed build of each, so that every scenario starts from warm OS file caches.
    plain.build(site)
    mdexec.build(site)
    sites.mdexec_results_only.build(site)
    sites.reckon_without_layout.build(site)
    reckon.build(site)
    control = export_output(reckon)
    control.build(site)
    for round_ in range(1, repeat + 1):
        samples.add("plain build", plain.build(site))
        samples.add("plain build of reckon's output", control.build(site))
        samples.add("markdown-exec build", mdexec.build(site))
        samples.add("markdown-exec build, results only", sites.mdexec_results_only.build(site))
        reckon.clear_cache()
        samples.add("reckon cold", reckon.build(site))
        samples.add("reckon warm", reckon.build(site))
        sites.reckon_without_layout.clear_cache()
        samples.add("reckon cold, figures without constrained layout", sites.reckon_without_layout.build(site))
        reckon.edit(reckon.pages // 2, marker=f"Prose edit {round_}.")
        samples.add("reckon after a prose edit", reckon.build(site))
        reckon.edit(reckon.pages // 2, code=100 * round_, marker=f"Prose edit {round_}.")
        samples.add("reckon after a code edit of one page", reckon.build(site))
        print(f"  builds, round {round_}/{repeat} done", flush=True)


def measure_real_site(real: Project, repeat: int, samples: Samples, workspace: Path) -> None:
    """This project's own site: cold, warm, and the build of its output without reckon."""
    site = workspace / "out-real"
    real.clear_cache()
    real.build(site)
    control = export_output(real)
    control.build(site)
    for round_ in range(1, repeat + 1):
        samples.add("real site, plain build of reckon's output", control.build(site))
        samples.add("real site, reckon warm", real.build(site))
        real.clear_cache()
        samples.add("real site, reckon cold", real.build(site))
        print(f"  real site, round {round_}/{repeat} done", flush=True)


# ---------------------------------------------------------------------------------------------
# How the cost grows


SCALE_SCENARIOS = ("plain", "markdown-exec", "reckon cold", "reckon warm")


def measure_scaling(sizes: Sequence[int], blocks: int, repeat: int, workspace: Path) -> dict[str, Any]:
    """Build times of synthetic sites of each size, interleaved, and the memory of one untimed build of each."""
    sites = {pages: make_sites(workspace / f"scale-{pages}", pages, blocks) for pages in sizes}
    samples: dict[str, dict[int, list[float]]] = {name: {pages: [] for pages in sizes} for name in SCALE_SCENARIOS}
    memory: dict[str, dict[int, dict[str, float]]] = {"reckon cold": {}, "markdown-exec": {}, "plain": {}}
    for pages, group in sites.items():  # untimed: warms the OS caches, and samples /proc as it builds
        site = workspace / f"scale-{pages}" / "out"
        memory["plain"][pages] = build_memory(group.plain, site)
        memory["markdown-exec"][pages] = build_memory(group.mdexec, site)
        group.reckon.clear_cache()
        memory["reckon cold"][pages] = build_memory(group.reckon, site)
    for round_ in range(1, repeat + 1):
        for pages, group in sites.items():
            site = workspace / f"scale-{pages}" / "out"
            samples["plain"][pages].append(group.plain.build(site))
            samples["markdown-exec"][pages].append(group.mdexec.build(site))
            group.reckon.clear_cache()
            samples["reckon cold"][pages].append(group.reckon.build(site))
            samples["reckon warm"][pages].append(group.reckon.build(site))
        print(f"  scaling, round {round_}/{repeat} done", flush=True)
    return {
        "pages": list(sizes),
        "blocks": blocks,
        "repeat": repeat,
        "median_seconds": {name: [round(statistics.median(by_size[pages]), 3) for pages in sizes] for name, by_size in samples.items()},
        "samples_seconds": {
            name: {str(pages): [round(value, 3) for value in values] for pages, values in by_size.items()}
            for name, by_size in samples.items()
        },
        "memory_mib": {name: [by_size[pages] for pages in sizes] for name, by_size in memory.items()},
    }


def build_memory(project: Project, site: Path) -> dict[str, float]:
    """Build ``project`` once, sampling its processes' memory from ``/proc`` every 20 ms.

    Returns MiB: ``page_peak_rss``, the largest peak resident set of any page process (0 for a
    build without any: markdown-exec runs pages in the MkDocs process); ``mkdocs_peak_rss``, the
    MkDocs process's own; ``build_peak_pss``, the most that all of the build's processes held at
    once, shared pages divided among the processes sharing them (so forked pages are not counted
    twice). A page process that lives less than one sampling interval may be missed.
    """
    process = subprocess.Popen(project.command(site), cwd=project.root, env=ENVIRONMENT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr.append(process.stderr.read() if process.stderr else b""), daemon=True)
    reader.start()
    mkdocs_peak = page_peak = build_peak = 0
    while process.poll() is None:
        tree = _descendants(process.pid)
        pss = 0
        for pid, depth in tree.items():
            status = _status_kib(pid)
            pss += _pss_kib(pid)
            if pid == process.pid:
                mkdocs_peak = max(mkdocs_peak, status.get("VmHWM", 0))
            elif depth >= 2:  # the fork server's children: MkDocs → fork server → page
                page_peak = max(page_peak, status.get("VmHWM", 0))
        build_peak = max(build_peak, pss)
        time.sleep(0.02)
    reader.join()
    if process.returncode != 0:
        raise RuntimeError(f"build failed in {project.root}:\n{b''.join(stderr).decode(errors='replace')}")
    return {
        "page_peak_rss": round(page_peak / 1024, 1),
        "mkdocs_peak_rss": round(mkdocs_peak / 1024, 1),
        "build_peak_pss": round(build_peak / 1024, 1),
    }


def _descendants(root: int) -> dict[int, int]:
    """``pid -> depth below root`` for ``root`` and every process descending from it."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stream:
                    # "pid (command) state ppid ...": the command may hold spaces and parentheses.
                    parents[int(entry)] = int(stream.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    depths = {root: 0}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if pid not in depths and parent in depths:
                depths[pid] = depths[parent] + 1
                changed = True
    return depths


def _status_kib(pid: int) -> dict[str, int]:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as stream:
            lines = stream.read().splitlines()
    except OSError:
        return {}
    return {name: int(value.split()[0]) for name, _, value in (line.partition(":") for line in lines) if value.strip().endswith("kB")}


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# ---------------------------------------------------------------------------------------------
# mkdocs serve


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bytes(response.read()).decode("utf-8", errors="replace")
    except OSError:
        return ""


def shows(url: str, text: str) -> bool:
    return text in fetch(url)


def wait_for(condition: Callable[[], bool], limit: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if condition():
            return time.perf_counter() - started
        time.sleep(0.01)
    raise TimeoutError("the served page did not change in time")


def measure_reloads(project: Project, label: str, kinds: list[str], repeat: int, samples: Samples) -> None:
    """Edit a page under `mkdocs serve` and time until the served page shows the edit."""
    port = free_port()
    server = subprocess.Popen(
        [*MKDOCS, "serve", "-f", project.config, "-a", f"127.0.0.1:{port}"],
        cwd=project.root,
        env=ENVIRONMENT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    edited = project.pages // 2
    url = f"http://127.0.0.1:{port}/page{edited:02d}/"
    try:
        wait_for(lambda: f"Page {edited}" in fetch(url), 300)
        time.sleep(1.0)  # let the first build settle
        # MkDocs notices changes on a cycle of about half a second: edits at fixed intervals would
        # land at a fixed phase of it, and one site would always wait longer than another.
        pause = random.Random(label)
        for round_ in range(1, repeat + 1):
            for kind in kinds:
                stamp = f"{kind}-{round_}-{time.time_ns()}"
                # A code edit also changes the page's seed, so the page must run again.
                project.edit(edited, code=1000 + round_ if kind == "code" else None, marker=f"Edited {stamp}.")
                samples.add(f"serve reload, {label}, {kind} edit", wait_for(functools.partial(shows, url, stamp), 300))
                time.sleep(pause.uniform(0.6, 1.6))
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---------------------------------------------------------------------------------------------
# One page's own execution, for the code-edit target


@dataclass(frozen=True)
class PageTimes:
    """One page of the synthetic site, run by a page pool of its own."""

    execution: float  # in a warm page process: what a code edit must pay
    first: float  # the first run, which starts the page server (imports NumPy and matplotlib, draws a warm-up figure)

    @property
    def server_start(self) -> float:
        """What the first page waits for before it can run, on a cold build."""
        return max(0.0, self.first - self.execution)


def page_times(project: Project, repeat: int) -> PageTimes:
    """How long the edited page takes to run in a warm page process, and the first time, with the server's start."""
    sys.path.insert(0, str(PROJECT / "plugins"))
    from reckon.page.plan import plan_page
    from reckon.run.pool import PagePool
    from reckon.run.process import ProcessSettings

    name = f"page{project.pages // 2:02d}.md"
    markdown = (project.root / "docs" / name).read_text(encoding="utf-8")
    plan = plan_page(markdown, path=f"docs/{name}", src_uri=name)
    # As many pages at once as a build runs (one per core): the pool sizes each page's BLAS
    # threads by it, and a pool of one would give this page the whole machine's.
    pool = PagePool(ProcessSettings(str(project.root)), concurrency=os.cpu_count() or 1)
    try:
        started = time.perf_counter()
        pool.run(plan.program, 60)  # starts the fork server
        first = time.perf_counter() - started
        return PageTimes(statistics.median(pool.run(plan.program, 60).seconds for _ in range(repeat)), first)
    finally:
        pool.close()


# ---------------------------------------------------------------------------------------------
# Report


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("mkdocs", "mkdocs-material", "markdown-exec", "numpy", "matplotlib", "reckon-site"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "versions": versions,
        "date": time.strftime("%Y-%m-%d"),
    }


def load_average() -> list[float]:
    """The machine's load over the last 1, 5 and 15 minutes (how busy the neighbours were)."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return []


def targets(samples: Samples, page_seconds: float) -> list[dict[str, object]]:
    plain_reload = samples.median("serve reload, plain, prose edit")
    rows: list[tuple[str, str, float, float, str]] = []
    if "real site, reckon warm" in samples.times:
        ratio = samples.median("real site, reckon warm") / samples.median("real site, plain build of reckon's output")
        rows.append(
            ("real site, reckon warm", "real site, plain build of reckon's output", ratio, 1.05, "≤ 1.05 × its output built without reckon")
        )
    rows += [
        (
            "reckon cold",
            "markdown-exec build",
            samples.median("reckon cold") / samples.median("markdown-exec build"),
            0.85,
            "≤ 0.85 × markdown-exec",
        ),
        (
            "reckon cold",
            "markdown-exec build, results only",
            samples.median("reckon cold") / samples.median("markdown-exec build, results only"),
            0.85,
            "≤ 0.85 × markdown-exec showing no source (its default; reckon's pages still show theirs)",
        ),
        (
            "serve reload, reckon, prose edit",
            "plain reload",
            samples.median("serve reload, reckon, prose edit") / plain_reload,
            1.1,
            "≤ 1.1 × a plain site's reload",
        ),
        (
            "serve reload, reckon, code edit",
            "plain reload + the page's execution",
            samples.median("serve reload, reckon, code edit") / (plain_reload + page_seconds),
            1.0,
            "≤ the plain reload plus the page's own execution",
        ),
    ]
    return [
        {"measure": m, "against": a, "ratio": round(r, 3), "target": t, "met": r <= t, "target_text": text} for m, a, r, t, text in rows
    ]


def parse(argv: Sequence[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=Settings.pages)
    parser.add_argument("--blocks", type=int, default=Settings.blocks)
    parser.add_argument("--repeat", type=int, default=Settings.repeat, help="rounds of the build measurements")
    parser.add_argument("--scale", default=",".join(map(str, Settings.scale)), help="site sizes (pages) for the scaling measurement")
    parser.add_argument("--scale-repeat", type=int, default=Settings.scale_repeat)
    parser.add_argument("--no-real-site", action="store_true", help="skip this project's own site")
    parser.add_argument("--tiny", action="store_true", help="every part once, on sites of a few pages (a smoke test)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    options = parser.parse_args(argv)
    if options.tiny:
        return Settings(**{**TINY.__dict__, "real_site": not options.no_real_site, "output": options.output})
    scale = tuple(int(size) for size in options.scale.split(",") if size.strip())
    return Settings(
        options.pages,
        options.blocks,
        options.repeat,
        max(options.repeat, 7),
        scale,
        options.scale_repeat,
        not options.no_real_site,
        options.output,
    )


def run(settings: Settings) -> dict[str, Any]:
    """Measure everything ``settings`` asks for and write the report; returns it."""
    samples = Samples()
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="reckon-bench-") as folder, bytecode_as_installed(Path(folder)):
        workspace = Path(folder)
        sites = make_sites(workspace / "synthetic", settings.pages, settings.blocks)
        print(f"Site: {settings.pages} pages × {settings.blocks} blocks, in {workspace}", flush=True)
        measure_builds(sites, settings.repeat, samples, workspace)
        real_pages = 0
        if settings.real_site:
            real = copy_real_site(workspace)
            real_pages = sum(1 for _ in (real.root / real.docs).rglob("*.md"))
            measure_real_site(real, settings.repeat, samples, workspace)
        print("  serve reloads …", flush=True)
        measure_reloads(sites.plain, "plain", ["prose"], settings.edits, samples)
        measure_reloads(sites.reckon, "reckon", ["prose", "code"], settings.edits, samples)
        measure_reloads(sites.mdexec, "markdown-exec", ["prose", "code"], settings.edits, samples)
        page = page_times(sites.reckon, settings.repeat)
        scaling = measure_scaling(settings.scale, settings.blocks, settings.scale_repeat, workspace) if settings.scale else None
    plain = samples.median("plain build")
    report: dict[str, Any] = {
        "command": settings.command,
        "site": {
            "pages": settings.pages,
            "blocks": settings.blocks,
            "repeat": settings.repeat,
            "matrix": MATRIX,
            "real_site_pages": real_pages,
        },
        "machine": machine(),
        "bytecode": BYTECODE,
        # The machine is shared: how busy it was says how much to trust the spread of the samples.
        "load_average": {"before": load_before, "after": load_average()},
        "medians": {name: round(samples.median(name), 3) for name in samples.times},
        "samples": {name: [round(value, 3) for value in values] for name, values in samples.times.items()},
        "ratio_to_plain_build": {
            name: round(samples.median(name) / plain, 2) for name in samples.times if name.startswith(("plain", "markdown-exec", "reckon"))
        },
        "page_execution_seconds": round(page.execution, 3),
        # A fresh pool's first page: the server's start, which every cold build waits for before its first page runs.
        "page_server_start_seconds": round(page.server_start, 3),
        # Where a warm build's time goes: rendering what reckon wrote (shown source is highlighted,
        # figures embedded) against rendering the bare pages, and reckon's own work on top.
        "decomposition": {
            "output_over_plain": round(samples.median("plain build of reckon's output") / plain, 3),
            "warm_over_output": round(samples.median("reckon warm") / samples.median("plain build of reckon's output"), 3),
            "reckon_own_seconds": round(samples.median("reckon warm") - samples.median("plain build of reckon's output"), 3),
        },
        "targets": targets(samples, page.execution),
    }
    if scaling is not None:
        report["scaling"] = scaling
    settings.output.parent.mkdir(parents=True, exist_ok=True)
    settings.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return report


def main(argv: Sequence[str] | None = None) -> None:
    settings = parse(argv)
    report = run(settings)
    width = max(len(name) for name in report["samples"])
    print(f"\n{'scenario':<{width}}  median s  samples")
    for name, values in report["samples"].items():
        print(f"{name:<{width}}  {report['medians'][name]:8.3f}  {', '.join(f'{value:.2f}' for value in values)}")
    print(f"\nthe edited page's own execution in a warm page process: {report['page_execution_seconds']:.3f} s")
    print(f"the page server's start, before a cold build's first page can run: {report['page_server_start_seconds']:.3f} s\n")
    if "scaling" in report:
        scaling = report["scaling"]
        print("pages: " + ", ".join(map(str, scaling["pages"])))
        for name, values in scaling["median_seconds"].items():
            print(f"  {name:<14} " + ", ".join(f"{value:.2f} s" for value in values))
        for name, values in scaling["memory_mib"].items():
            print(f"  memory, {name:<14} " + "; ".join(f"page {m['page_peak_rss']} MiB, build {m['build_peak_pss']} MiB" for m in values))
    for row in report["targets"]:
        verdict = "met" if row["met"] else "MISSED"
        print(f"{row['measure']} / {row['against']}: {row['ratio']:.2f} (target {row['target_text']}): {verdict}")
    print(f"\nload average before and after: {report['load_average']}; written to {settings.output}")


if __name__ == "__main__":
    main()
