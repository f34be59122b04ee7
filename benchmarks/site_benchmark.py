"""Measure reckon against a plain MkDocs build and against markdown-exec, side by side in one run.

Generates a synthetic site of N pages, each with K blocks of NumPy work, inline values, claims and
one figure, written once in reckon's syntax and once in markdown-exec's; then measures, with the
scenarios interleaved so that a noisy neighbour slows all of them alike:

* ``mkdocs build`` with reckon disabled (the plain build), reckon cold (empty cache), reckon warm,
  reckon after a prose-only edit, reckon after a code edit of one page, and markdown-exec;
* the edit-to-reload time of ``mkdocs serve`` (file written → the served page shows the edit) for
  a prose edit and a code edit, for reckon, for markdown-exec, and for the plain site.

It prints a table of medians and ratios against the targets, and writes it with the machine it ran
on to ``benchmarks/results/site.json`` (the site's Performance page shows that file).

Usage: ``python benchmarks/site_benchmark.py [--pages 20] [--blocks 5] [--repeat 3]``
"""

from __future__ import annotations

import argparse
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
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "site.json"
MKDOCS = [sys.executable, "-m", "mkdocs"]
MATRIX = 120  # each block multiplies a MATRIX×MATRIX matrix by its transpose and finds its eigenvalues
ENVIRONMENT = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# The same Markdown extensions for all three sites: those a site that uses reckon configures
# (reckon's output needs them), so that the plain build differs only in running no code.
CONFIG = """\
site_name: benchmark
theme: {{name: material, font: false}}
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
"""


# ---------------------------------------------------------------------------------------------
# The synthetic site


def reckon_page(index: int, blocks: int, edit: int = 0, marker: str = "") -> str:
    """A page in reckon's syntax: K blocks of NumPy work, inline values, claims, one figure."""
    parts = [f"# Page {index}\n\nIntro to page {index}. {marker}\n", f"```{{python}}\n#| echo: false\nimport numpy as np\nrng = np.random.default_rng({index + edit})\n```\n"]
    for block in range(blocks):
        parts.append(
            f"## Block {block}\n\n```{{python}}\na{block} = rng.standard_normal(({MATRIX}, {MATRIX}))\n"
            f"g{block} = a{block} @ a{block}.T\ntrace{block} = float(np.trace(g{block}))\n"
            f"top{block} = float(np.linalg.eigvalsh(g{block})[-1])\n```\n\n"
            f"The trace is `{{python}} round(trace{block}, 2)`, the largest eigenvalue "
            f"`{{python}} f\"{{top{block}:.3f}}\"`, and the matrix is `{{python}} g{block}.shape = {MATRIX}×{MATRIX}`, "
            f"of `{{python}} g{block}.size = {MATRIX * MATRIX:,}` entries.\n"
        )
    parts.append(
        "```{python}\n#| echo: fold\n#| fig-alt: \"A random walk\"\nimport matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots(figsize=(6, 3))\nax.plot(np.cumsum(rng.standard_normal(500)))\n```\n"
    )
    return "\n".join(parts)


def mdexec_page(index: int, blocks: int, edit: int = 0, marker: str = "") -> str:
    """The same page in markdown-exec's syntax (a session per page; figures printed as SVG)."""
    session = f'exec="on" session="page-{index}"'
    parts = [f"# Page {index}\n\nIntro to page {index}. {marker}\n", f"```python {session}\nimport numpy as np\nrng = np.random.default_rng({index + edit})\n```\n"]
    for block in range(blocks):
        parts.append(
            f"## Block {block}\n\n```python {session}\na{block} = rng.standard_normal(({MATRIX}, {MATRIX}))\n"
            f"g{block} = a{block} @ a{block}.T\ntrace{block} = float(np.trace(g{block}))\n"
            f"top{block} = float(np.linalg.eigvalsh(g{block})[-1])\n"
            f"print(f\"The trace is {{round(trace{block}, 2)}}, the largest eigenvalue {{top{block}:.3f}}, "
            f"and the matrix is {{g{block}.shape}}, of {{g{block}.size:,}} entries.\")\n```\n"
        )
    parts.append(
        f"```python {session} html=\"on\"\nimport io\nimport matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots(figsize=(6, 3))\nax.plot(np.cumsum(rng.standard_normal(500)))\n"
        "buffer = io.StringIO()\nfig.savefig(buffer, format=\"svg\")\nplt.close(fig)\nprint(buffer.getvalue())\n```\n"
    )
    return "\n".join(parts)


@dataclass
class Project:
    """A generated MkDocs project and how to rewrite one of its pages."""

    root: Path
    config: str
    write_page: Callable[..., str]
    pages: int
    blocks: int
    codes: dict[int, int] = field(default_factory=dict)  # each page's current code variant

    def write_all(self) -> None:
        for index in range(self.pages):
            self.edit(index)

    def edit(self, index: int, *, code: int | None = None, marker: str = "") -> None:
        """Rewrite a page: with ``code`` its code changes; without, only its prose (``marker``)."""
        if code is not None:
            self.codes[index] = code
        path = self.root / "docs" / f"page{index:02d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.write_page(index, self.blocks, self.codes.get(index, 0), marker), encoding="utf-8")

    def build(self, site: Path) -> float:
        started = time.perf_counter()
        completed = subprocess.run([*MKDOCS, "build", "-q", "-f", self.config, "-d", str(site)], cwd=self.root, env=ENVIRONMENT, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if completed.returncode != 0:
            raise RuntimeError(f"build failed in {self.root}:\n{completed.stdout}{completed.stderr}")
        return elapsed


def make_projects(workspace: Path, pages: int, blocks: int) -> tuple[Project, Project, Project]:
    reckon_root, mdexec_root = workspace / "reckon-site", workspace / "markdown-exec-site"
    for root in (reckon_root, mdexec_root):
        root.mkdir(parents=True)
    (reckon_root / "mkdocs.yml").write_text(CONFIG.format(plugins="  - reckon"), encoding="utf-8")
    (reckon_root / "mkdocs-plain.yml").write_text(CONFIG.format(plugins="  - reckon:\n      enabled: false"), encoding="utf-8")
    (mdexec_root / "mkdocs.yml").write_text(CONFIG.format(plugins="  - markdown-exec"), encoding="utf-8")
    reckon = Project(reckon_root, "mkdocs.yml", reckon_page, pages, blocks)
    plain = Project(reckon_root, "mkdocs-plain.yml", reckon_page, pages, blocks)
    mdexec = Project(mdexec_root, "mkdocs.yml", mdexec_page, pages, blocks)
    reckon.write_all()
    mdexec.write_all()
    return plain, reckon, mdexec


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


def export_output(reckon: Project, workspace: Path) -> Project:
    """A plain project of the Markdown reckon makes of the pages (figures included), read from its
    cache: building it costs what rendering reckon's output costs, without reckon."""
    sys.path.insert(0, str(HERE.parent / "plugins"))
    from reckon.engine import Engine, EngineSettings, PageSource

    root = workspace / "rendered-output-site"
    (root / "docs").mkdir(parents=True)
    shutil.copy(reckon.root / "mkdocs-plain.yml", root / "mkdocs.yml")
    settings = EngineSettings(project_dir=reckon.root, cache_dir=reckon.root / ".cache" / "plugin" / "reckon")
    engine = Engine(settings, log=lambda message: None, warn=print)
    try:
        build = engine.build()
        for page in sorted((reckon.root / "docs").glob("*.md")):
            markdown = page.read_text(encoding="utf-8")
            rendered = build.render(PageSource(f"docs/{page.name}", page.name, markdown, 1, markdown))
            (root / "docs" / page.name).write_text(rendered.markdown, encoding="utf-8")
            for uri, content in rendered.files.items():
                (root / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
                (root / "docs" / uri).write_bytes(content)
        assert build.summary().executed == 0, "the output is read from the cache, not run again"
    finally:
        engine.stop()
    return Project(root, "mkdocs.yml", reckon_page, reckon.pages, reckon.blocks)


def measure_builds(plain: Project, reckon: Project, mdexec: Project, repeat: int, samples: Samples, workspace: Path) -> None:
    cache = reckon.root / ".cache"
    site = workspace / "out"
    # One untimed build of each, so that every scenario starts from warm OS file caches.
    plain.build(site)
    mdexec.build(site)
    reckon.build(site)
    output = export_output(reckon, workspace)
    output.build(site)
    for round_ in range(1, repeat + 1):
        samples.add("plain build", plain.build(site))
        samples.add("plain build of reckon's output", output.build(site))
        samples.add("markdown-exec build", mdexec.build(site))
        shutil.rmtree(cache, ignore_errors=True)
        samples.add("reckon cold", reckon.build(site))
        samples.add("reckon warm", reckon.build(site))
        reckon.edit(reckon.pages // 2, marker=f"Prose edit {round_}.")
        samples.add("reckon after a prose edit", reckon.build(site))
        reckon.edit(reckon.pages // 2, code=100 * round_, marker=f"Prose edit {round_}.")
        samples.add("reckon after a code edit of one page", reckon.build(site))
        print(f"  builds, round {round_}/{repeat} done", flush=True)


# ---------------------------------------------------------------------------------------------
# mkdocs serve


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


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
                samples.add(f"serve reload, {label}, {kind} edit", wait_for(lambda stamp=stamp: stamp in fetch(url), 300))
                time.sleep(pause.uniform(0.6, 1.6))
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---------------------------------------------------------------------------------------------
# One page's own execution, for the code-edit target


def page_execution_seconds(project: Project, repeat: int) -> float:
    """How long the edited page takes to run in a warm page process (what a code edit must pay)."""
    sys.path.insert(0, str(HERE.parent / "plugins"))
    from reckon.page.plan import plan_page
    from reckon.run.pool import PagePool
    from reckon.run.process import ProcessSettings

    name = f"page{project.pages // 2:02d}.md"
    markdown = (project.root / "docs" / name).read_text(encoding="utf-8")
    plan = plan_page(markdown, path=f"docs/{name}", src_uri=name)
    pool = PagePool(ProcessSettings(str(project.root)), concurrency=1)
    try:
        pool.run(plan.program, 60)  # warm the fork server
        return statistics.median(pool.run(plan.program, 60).seconds for _ in range(repeat))
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


def targets(samples: Samples, page_seconds: float) -> list[dict[str, object]]:
    plain = samples.median("plain build")
    plain_reload = samples.median("serve reload, plain, prose edit")
    rows = [
        ("reckon warm", "plain build", samples.median("reckon warm") / plain, 1.2, "≤ 1.2 × the plain build"),
        ("reckon after a prose edit", "plain build", samples.median("reckon after a prose edit") / plain, 1.2, "≤ 1.2 × the plain build"),
        ("reckon cold", "markdown-exec build", samples.median("reckon cold") / samples.median("markdown-exec build"), 0.7, "≤ 0.7 × markdown-exec"),
        ("serve reload, reckon, prose edit", "plain reload", samples.median("serve reload, reckon, prose edit") / plain_reload, 1.2, "≤ 1.2 × a plain site's reload"),
        (
            "serve reload, reckon, code edit",
            "plain reload + the page's execution",
            samples.median("serve reload, reckon, code edit") / (plain_reload + page_seconds),
            1.0,
            "≤ the plain reload plus the page's own execution",
        ),
    ]
    return [{"measure": m, "against": a, "ratio": round(r, 3), "target": t, "met": r <= t, "target_text": text} for m, a, r, t, text in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--blocks", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS)
    options = parser.parse_args()
    samples = Samples()
    with tempfile.TemporaryDirectory(prefix="reckon-bench-") as folder:
        workspace = Path(folder)
        plain, reckon, mdexec = make_projects(workspace, options.pages, options.blocks)
        print(f"Site: {options.pages} pages × {options.blocks} blocks, in {workspace}", flush=True)
        measure_builds(plain, reckon, mdexec, options.repeat, samples, workspace)
        print("  serve reloads …", flush=True)
        edits = max(options.repeat, 7)  # reload times spread over the watcher's cycle: more samples
        measure_reloads(plain, "plain", ["prose"], edits, samples)
        measure_reloads(reckon, "reckon", ["prose", "code"], edits, samples)
        measure_reloads(mdexec, "markdown-exec", ["prose", "code"], edits, samples)
        page_seconds = page_execution_seconds(reckon, options.repeat)
    plain = samples.median("plain build")
    report = {
        "command": f"python benchmarks/site_benchmark.py --pages {options.pages} --blocks {options.blocks} --repeat {options.repeat}",
        "site": {"pages": options.pages, "blocks": options.blocks, "repeat": options.repeat, "matrix": MATRIX},
        "machine": machine(),
        "medians": {name: round(samples.median(name), 3) for name in samples.times},
        "samples": {name: [round(value, 3) for value in values] for name, values in samples.times.items()},
        "ratio_to_plain_build": {name: round(samples.median(name) / plain, 2) for name in samples.times if "build" in name or name.startswith("reckon")},
        "page_execution_seconds": round(page_seconds, 3),
        # Where a warm build's time goes: rendering what reckon wrote (shown source is highlighted,
        # figures embedded) against rendering the bare pages, and reckon's own work on top.
        "decomposition": {
            "output_over_plain": round(samples.median("plain build of reckon's output") / plain, 3),
            "warm_over_output": round(samples.median("reckon warm") / samples.median("plain build of reckon's output"), 3),
            "reckon_own_seconds": round(samples.median("reckon warm") - samples.median("plain build of reckon's output"), 3),
        },
        "targets": targets(samples, page_seconds),
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    width = max(len(name) for name in samples.times)
    print(f"\n{'scenario':<{width}}  median s  samples")
    for name, values in samples.times.items():
        print(f"{name:<{width}}  {samples.median(name):8.3f}  {', '.join(f'{value:.2f}' for value in values)}")
    print(f"\nthe edited page's own execution in a warm page process: {page_seconds:.3f} s\n")
    for row in report["targets"]:
        verdict = "met" if row["met"] else "MISSED"
        print(f"{row['measure']} / {row['against']}: {row['ratio']:.2f} (target {row['target_text']}): {verdict}")
    print(f"\nwritten to {options.output}")


if __name__ == "__main__":
    main()
