"""The engine's layout: which side of the process boundary each module is on, and what it may import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "reckon"


def imported_modules(path: Path, source: str | None = None) -> set[str]:
    """The absolute names of the reckon modules that ``path`` imports (relative imports resolved)."""
    package = ["reckon", *path.relative_to(PACKAGE).parent.parts]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8") if source is None else source)):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "reckon" or name.startswith("reckon.")}


def modules_in(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).glob("*.py"))


@pytest.mark.parametrize(("side", "other"), [("page", "run"), ("run", "page")])
def test_neither_side_of_the_process_boundary_imports_the_other(side: str, other: str) -> None:
    assert modules_in(side), f"reckon/{side}/ has no modules"
    crossing = {
        path.name: sorted(name for name in imported_modules(path) if name == f"reckon.{other}" or name.startswith(f"reckon.{other}."))
        for path in modules_in(side)
    }
    assert {name: found for name, found in crossing.items() if found} == {}


def test_the_wire_and_the_authoring_helpers_import_neither_side() -> None:
    for path in [PACKAGE / "wire.py", *modules_in("authoring")]:
        sides = sorted(name for name in imported_modules(path) if name.startswith(("reckon.page", "reckon.run")))
        assert sides == [], f"{path.name} imports {sides}"


def test_the_check_itself_sees_a_crossing() -> None:
    """The resolver reads relative imports as Python does (a test that could not fail would prove nothing)."""
    probe = PACKAGE / "page" / "probe.py"
    found = imported_modules(probe, "from ..run.pool import PagePool\nfrom . import scan\nimport reckon.run.values\n")
    assert found >= {"reckon.run.pool", "reckon.run.pool.PagePool", "reckon.page.scan", "reckon.run.values"}
