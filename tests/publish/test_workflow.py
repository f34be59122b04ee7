"""The GitHub Actions workflow, checked offline: GitHub's schema, zizmor's audit, and what it must do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "site.yml"
MAIN_PUSH = ("github.event_name == 'push'", "github.ref == 'refs/heads/main'")

UNSAFE = """\
name: unsafe
on: pull_request
jobs:
  greet:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v6
      - run: echo "${{ github.event.pull_request.title }}"
"""


def tool(name: str) -> str:
    """A command the test extras install beside this Python."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.fail(f"{path} is missing: the README's test command installs the test extras")
    return str(path)


def run(*arguments: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_COLOR": "1"}
    environment.pop("GH_TOKEN", None)  # offline means offline
    environment.pop("GITHUB_TOKEN", None)
    return subprocess.run([str(argument) for argument in arguments], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)


def zizmor_findings(target: Path) -> tuple[int, list[dict[str, Any]], str]:
    """zizmor's exit status, its findings of medium severity and above, and its log, auditing offline."""
    completed = run(
        tool("zizmor"), "--offline", "--config", ROOT / ".github" / "zizmor.yml", "--min-severity", "medium", "--format", "json", target
    )
    return completed.returncode, json.loads(completed.stdout or "[]"), completed.stderr


def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    loaded["on"] = loaded.pop(True, loaded.get("on"))  # YAML 1.1 reads the key `on` as true
    return loaded


def steps(job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow()["jobs"][job]["steps"]
    return found


def step_using(job: str, action: str) -> dict[str, Any]:
    return next(step for step in steps(job) if step.get("uses", "").startswith(f"{action}@"))


def test_every_workflow_matches_githubs_schema() -> None:
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    completed = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert WORKFLOW in files


def test_dependabots_configuration_matches_its_schema() -> None:
    completed = run(tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot", ROOT / ".github" / "dependabot.yml")
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(UNSAFE.replace("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04"))
    completed = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", broken)
    assert completed.returncode != 0 and "runs_on" in completed.stdout + completed.stderr


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    code, findings, log = zizmor_findings(ROOT)
    assert (code, findings) == (0, []), json.dumps(findings, indent=2) + log
    assert "site.yml" in log  # it audited the workflow, and did not just find nothing to audit


def test_zizmor_offline_still_catches_injection_and_unpinned_actions(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "unsafe.yml").write_text(UNSAFE)
    code, findings, log = zizmor_findings(tmp_path)
    assert code != 0, log
    assert {"template-injection", "unpinned-uses", "excessive-permissions"} <= {finding["ident"] for finding in findings}


def test_pull_requests_only_test_and_build_with_read_only_permissions() -> None:
    site = workflow()
    assert site["on"] == {"push": {"branches": ["main"]}, "pull_request": None}
    assert site["permissions"] == {}
    jobs = site["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert "if" not in jobs["build"]
    for name, job in jobs.items():
        if name != "build":
            assert all(condition in job["if"] for condition in MAIN_PUSH), f"job {name} would run on pull requests"
    pages_actions = ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@")
    assert [step["uses"] for step in steps("build") if step.get("uses", "").startswith(pages_actions)] == []
    assert jobs["pages"]["permissions"] == {"contents": "read", "pages": "read"}
    assert "secrets." not in WORKFLOW.read_text()


def test_main_deploys_the_built_site_with_githubs_pages_actions() -> None:
    jobs = workflow()["jobs"]
    deploy = jobs["deploy"]
    assert deploy["needs"] == "pages"
    assert jobs["pages"]["needs"] == "build"  # only a commit whose tests passed is published
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    assert step_using("pages", "actions/upload-pages-artifact")["with"]["path"].rstrip("/") == "site"


def test_the_published_site_takes_its_address_and_repository_from_where_it_is_built() -> None:
    names = [step.get("id") or step.get("uses", "").split("@")[0] or step.get("run", "") for step in steps("pages")]
    configure = names.index("pages")
    assert step_using("pages", "actions/configure-pages")["id"] == "pages"
    build = next(index for index, step in enumerate(steps("pages")) if "mkdocs build --strict" in step.get("run", ""))
    upload = names.index("actions/upload-pages-artifact")
    assert configure < build < upload
    env = steps("pages")[build]["env"]
    assert env["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert env["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    assert env["REPO_NAME"] == "${{ github.repository }}"
    assert "${{" not in steps("pages")[build]["run"]  # values reach the build as variables, never spliced into the script
    with open(ROOT / "mkdocs.yml", "rb") as config_file:
        text = config_file.read().decode()
    for key, variable in (("site_url", "SITE_URL"), ("repo_url", "REPO_URL"), ("repo_name", "REPO_NAME"), ("edit_uri", "EDIT_URI")):
        assert f"{key}: !ENV [{variable}, null]" in text


def test_the_build_runs_the_readme_tests_then_a_strict_build_with_cpu_pytorch() -> None:
    commands = [step.get("run", "") for step in steps("build")]
    torch = next(index for index, command in enumerate(commands) if "torch==" in command)
    tests = commands.index("bash .ci/run")
    build = next(index for index, command in enumerate(commands) if "mkdocs build --strict" in command)
    assert torch < tests < build
    assert "--index-url https://download.pytorch.org/whl/cpu" in commands[torch]
    assert all("GITHUB_ACTIONS" not in step.get("env", {}) for step in steps("build"))  # annotations stay on


def test_pip_and_reckons_cache_are_kept_between_runs() -> None:
    cached = [step["with"]["path"] for step in steps("build") if step.get("uses", "").startswith("actions/cache@")]
    with open(ROOT / "mkdocs.yml", "rb") as config_file:
        reckon = load_config(config_file=config_file).plugins["reckon"]
    assert "~/.cache/pip" in cached
    assert reckon.config.cache_dir in cached


def test_checkouts_keep_no_credentials() -> None:
    checkouts = [step for job in workflow()["jobs"] for step in steps(job) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_the_pages_job_sets_up_as_the_readmes_serve_command_does() -> None:
    """The published build must install what serving installs (KaTeX, Pyodide for the live pages), or it fails."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    serve = next(
        line for line in readme.splitlines() if line.startswith("python3.11 -m venv") and line.endswith("mkdocs serve -a 127.0.0.1:8000")
    )
    setup = serve.removesuffix(" && .venv/bin/mkdocs serve -a 127.0.0.1:8000")
    workflow = WORKFLOW.read_text(encoding="utf-8")
    assert f"run: {setup}\n" in workflow
