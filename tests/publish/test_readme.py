"""The README's two commands: one line each, and each installs what it needs on a machine with only Python 3.11."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("python3.11 -m venv")]


def command(ending: str) -> str:
    return next(line for line in COMMANDS if line.endswith(ending))


def test_there_are_two_commands_and_ci_runs_the_test_one() -> None:
    assert len(COMMANDS) == 2
    ci_picks = next(line for line in COMMANDS if re.match(r"^python3\.11 .*pytest", line))  # .ci/run's grep
    assert ci_picks == command(".venv/bin/python -m pytest")
    for line in COMMANDS:
        assert subprocess.run(["bash", "-n", "-c", line]).returncode == 0, line


def test_serving_installs_katex_first() -> None:
    serve = command(".venv/bin/mkdocs serve -a 127.0.0.1:8000")
    assert serve.index("pip install -e .") < serve.index("-m offline_katex install") < serve.index("mkdocs serve")
    assert (
        serve.index("pip install -e .") < serve.index("-m npm_pinned install pyodide") < serve.index("mkdocs serve")
    )  # Pyodide, for live pages


def test_testing_installs_the_extras_katex_and_chromium_first() -> None:
    test = command(".venv/bin/python -m pytest")
    assert (
        test.index('pip install -e ".[test]"')
        < test.index("-m offline_katex install")
        < test.index("apt-get install")
        < test.index("-m pytest")
    )
    assert (
        test.index('pip install -e ".[test]"') < test.index("-m npm_pinned install axe-core") < test.index("-m pytest")
    )  # the accessibility audit
    assert test.index('pip install -e ".[test]"') < test.index("-m npm_pinned install axe-core pyodide") < test.index("-m pytest")


@pytest.mark.parametrize(
    ("uid", "expected"),
    [
        ("0", ["apt-get update -q", "apt-get install -y -q chromium"]),
        ("1000", ["sudo sh -c", "apt-get update -q", "apt-get install -y -q chromium"]),
    ],
)
def test_chromium_is_installed_when_missing_with_sudo_unless_root(tmp_path: Path, uid: str, expected: list[str]) -> None:
    install = re.search(r"\{ test -x /usr/bin/chromium \|\| .*?; \}", command("-m pytest"))
    assert install is not None
    log, bin_dir = tmp_path / "log", tmp_path / "bin"
    bin_dir.mkdir()
    fakes = {"id": f"echo {uid}", "sudo": 'echo "sudo $1 $2" >> "$LOG"; exec "$@"', "apt-get": 'echo "apt-get $*" >> "$LOG"'}
    for name, body in fakes.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    missing = install.group(0).replace("/usr/bin/chromium", str(tmp_path / "no-chromium"))
    environment = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "LOG": str(log)}
    assert subprocess.run(["bash", "-c", missing], env=environment).returncode == 0
    assert log.read_text().splitlines() == expected
    present = install.group(0).replace("/usr/bin/chromium", "/bin/sh")  # something executable: nothing to install
    log.unlink()
    assert subprocess.run(["bash", "-c", present], env=environment).returncode == 0
    assert not log.exists()


def test_the_test_command_runs_the_gates_before_the_tests() -> None:
    test = command(".venv/bin/python -m pytest")
    gates = [".venv/bin/ruff check .", ".venv/bin/ruff format --check .", ".venv/bin/mypy"]
    assert all(gate in test for gate in gates), test
    assert max(test.index(gate) for gate in gates) < test.index(".venv/bin/python -m pytest")
