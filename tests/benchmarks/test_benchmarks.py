"""Both benchmarks still run: each at a tiny size, its report checked for shape and sense, never its timing.

These do real builds (the site benchmark builds a few small sites, serves them, and builds a copy of
this project's site), so they belong to the build tier (marked by their folder, see tests/conftest.py).
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_benchmark(script: str, output: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--tiny", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    report: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return report


def positive(value: object) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


def test_site_benchmark_at_tiny_size(tmp_path: Path) -> None:
    report = run_benchmark("site_benchmark.py", tmp_path / "site.json")
    expected = {
        "plain build",
        "plain build of reckon's output",
        "markdown-exec build",
        "markdown-exec build, results only",
        "reckon cold",
        "reckon cold, figures without constrained layout",
        "reckon warm",
        "reckon after a prose edit",
        "reckon after a code edit of one page",
        "real site, plain build of reckon's output",
        "real site, reckon warm",
        "real site, reckon cold",
        "serve reload, plain, prose edit",
        "serve reload, reckon, prose edit",
        "serve reload, reckon, code edit",
        "serve reload, markdown-exec, prose edit",
        "serve reload, markdown-exec, code edit",
    }
    assert set(report["medians"]) == expected
    assert set(report["samples"]) == expected
    for name, values in report["samples"].items():
        assert values, name
        assert all(positive(value) for value in values), (name, values)
        assert min(values) <= report["medians"][name] <= max(values), name
    real_pages = len(list((ROOT / "docs").rglob("*.md"))) - 1  # all but the Performance page
    assert report["site"] == {"pages": 2, "blocks": 1, "repeat": 1, "matrix": 120, "real_site_pages": real_pages}
    assert positive(report["page_execution_seconds"])
    assert positive(report["page_server_start_seconds"])  # importing NumPy and matplotlib takes a while on any machine
    assert all(positive(value) for value in report["ratio_to_plain_build"].values())
    assert report["ratio_to_plain_build"]["plain build"] == 1.0
    measures = {(row["measure"], row["against"]): row for row in report["targets"]}
    assert set(measures) == {
        ("real site, reckon warm", "real site, plain build of reckon's output"),
        ("reckon cold", "markdown-exec build"),
        ("reckon cold", "markdown-exec build, results only"),
        ("serve reload, reckon, prose edit", "plain reload"),
        ("serve reload, reckon, code edit", "plain reload + the page's execution"),
    }
    for row in measures.values():
        assert positive(row["ratio"]), row
        assert positive(row["target"]), row
        assert row["met"] == (row["ratio"] <= row["target"]), row
    assert len(report["load_average"]["before"]) == 3

    scaling = report["scaling"]
    assert scaling["pages"] == [2, 3]
    assert set(scaling["median_seconds"]) == {"plain", "markdown-exec", "reckon cold", "reckon warm"}
    for name, values in scaling["median_seconds"].items():
        assert len(values) == 2, name
        assert all(positive(value) for value in values), name
    memory = scaling["memory_mib"]
    for tool in ("reckon cold", "markdown-exec", "plain"):
        for sample in memory[tool]:
            assert positive(sample["mkdocs_peak_rss"]), (tool, sample)
            assert positive(sample["build_peak_pss"]), (tool, sample)
    # Only reckon runs pages in processes of their own; a page process holds at least NumPy (> 10 MiB).
    assert all(sample["page_peak_rss"] > 10 for sample in memory["reckon cold"])
    assert all(sample["page_peak_rss"] == 0 for sample in memory["markdown-exec"] + memory["plain"])


def test_q4_layer_benchmark_at_tiny_size(tmp_path: Path) -> None:
    report = run_benchmark("q4_layer.py", tmp_path / "q4-layer.json")
    kinds = {"numpy", "torch", "matmul"}
    assert set(report["median_seconds"]) == kinds
    assert all(positive(value) for value in report["median_seconds"].values())
    assert all(len(values) == 1 for values in report["samples_seconds"].values())
    assert all(positive(value) for value in report["gflops"].values())
    assert positive(report["numpy_over_torch"])
    assert positive(report["numpy_over_matmul"])
    assert report["met"] == (report["numpy_over_torch"] <= 2.0)
    assert report["layer"]["output"] == [66, 66, 96]


def test_the_markdown_exec_page_shows_the_code_the_reckon_page_shows_and_the_results_only_page_none(tmp_path: Path) -> None:
    """Like for like: the cold build is compared with a markdown-exec site that renders the same source."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import site_benchmark

    sites = site_benchmark.make_sites(tmp_path, pages=1, blocks=2)
    pages = {}
    for name, project in (("reckon", sites.reckon), ("markdown-exec", sites.mdexec), ("results only", sites.mdexec_results_only)):
        project.build(tmp_path / f"site-{name}")
        pages[name] = (tmp_path / f"site-{name}" / "page00" / "index.html").read_text(encoding="utf-8")

    def shown(page: str, line: str) -> bool:
        return line in html_text(page)  # Pygments splits a highlighted line into spans: compare the text

    for line in ("g1 = a1 @ a1.T", "fig, ax = plt.subplots(figsize=(6, 3))"):
        assert shown(pages["reckon"], line), line
        assert shown(pages["markdown-exec"], line), line
        assert not shown(pages["results only"], line), line
    for name in pages:  # the hidden first block stays hidden everywhere; every page shows its figure
        assert not shown(pages[name], "rng = np.random.default_rng(0)"), name
        assert "<svg" in pages[name] or ".svg" in pages[name], name


def html_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_every_build_of_a_run_keeps_its_bytecode_and_the_setting_ends_with_the_run(tmp_path: Path, monkeypatch: Any) -> None:
    """An installed package has its bytecode; the workplace's PYTHONDONTWRITEBYTECODE would take it from reckon alone."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import site_benchmark

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setitem(site_benchmark.ENVIRONMENT, "PYTHONDONTWRITEBYTECODE", "1")
    before = dict(site_benchmark.ENVIRONMENT)
    with site_benchmark.bytecode_as_installed(tmp_path):
        # The builds' environment, and this process's own (which the page servers it starts inherit).
        for environment in (site_benchmark.ENVIRONMENT, os.environ):
            subprocess.run(
                [sys.executable, "-c", "import reckon.wire"], env={**environment, "PYTHONPATH": str(ROOT / "plugins")}, check=True
            )
            kept = list((tmp_path / "bytecode").rglob("wire.cpython-*.pyc"))
            assert kept, "reckon's modules were compiled and not kept"
            kept[0].unlink()
    assert before == site_benchmark.ENVIRONMENT
    assert os.environ["PYTHONDONTWRITEBYTECODE"] == "1"
    assert "PYTHONPYCACHEPREFIX" not in site_benchmark.ENVIRONMENT
