"""Live pages without a browser: what may be live, the import check, the page payload, and the runner.

The runner (``reckon.live.browser``) is the code the reader's browser runs in Pyodide; here it runs
in CPython, once in this process and once in an isolated interpreter that has nothing but the
runtime bundle and the page's payload on its path, which is all the browser gets.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cnnmath.notation import walk
from cnnmath.output_size import kernel_sizes
from reckon import live
from reckon.live.analysis import DeclarationError, bound_names, declared_inputs, expression_names, module_closure, read_names
from reckon.live.browser import format_like, run
from reckon.live.page import plan_live
from reckon.live.payload import RUNTIME_MODULES, runtime_bundle
from reckon.page.plan import plan_page

ROOT = Path(__file__).resolve().parents[2]
SEARCH = [str(ROOT), *sys.path]


def closure(code: str, first_line: int = 1):  # type: ignore[no-untyped-def]
    return module_closure(code, first_line, SEARCH, ROOT)


def plan_of(markdown: str, path: str = "docs/page.md"):  # type: ignore[no-untyped-def]
    source = textwrap.dedent(markdown)
    plan = plan_page(source, path=path, src_uri=Path(path).name, source=source)
    return plan, plan_live(plan, ROOT)


# -- inputs -------------------------------------------------------------------------------------


def test_inputs_are_read_from_their_declarations_with_their_lines() -> None:
    code = 'from reckon import live\nH = live.number(205, min=1, max=1024, label="input size")\nlayers = live.text("CONV3-10, FC-10")\n'
    found = declared_inputs(code, 10)
    assert [(item.name, item.line) for item in found] == [("H", 11), ("layers", 12)]
    assert found[0].spec == live.Input("number", 205, "input size", 1, 1024)
    assert found[1].spec == live.Input("text", "CONV3-10, FC-10", "")


@pytest.mark.parametrize(
    ("code", "line", "says"),
    [
        ("n = 3\nH = live.number(n)", 2, "written out as values"),
        ("H = live.number(205, step=2)", 1, "`step` is not one of its options"),
        ("x = [live.number(1)]", 1, "must stand alone"),
        ("a = b = live.number(1)", 1, "one name per input"),
        ('H = live.number("205")', 1, "needs a number as its default"),
        ("t = live.text(3)", 1, "needs a string as its default"),
    ],
)
def test_a_declaration_that_cannot_be_read_without_running_it_is_refused_at_its_line(code: str, line: int, says: str) -> None:
    with pytest.raises(DeclarationError, match=says) as caught:
        declared_inputs(code, 1)
    assert caught.value.line == line


def test_at_build_time_an_input_is_its_default_and_a_default_out_of_its_range_fails() -> None:
    assert live.number(205, min=1, max=1024) == 205
    assert live.text("CONV3-10") == "CONV3-10"
    with pytest.raises(live.LiveInputError, match=r"^stride S must be at least 1, not 0$"):
        live.number(0, min=1, label="stride S")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "stride S is empty: write a number"),
        ("  ", "stride S is empty: write a number"),
        ("three", "stride S must be a number, not 'three'"),
        ("2.5", "stride S must be a whole number, not 2.5"),
        ("0", "stride S must be at least 1, not 0"),
        ("65", "stride S must be at most 64, not 65"),
        ("inf", "stride S must be a finite number"),
    ],
)
def test_a_value_the_input_refuses_gets_a_message_a_reader_understands(raw: str, message: str) -> None:
    spec = live.Input("number", 3, "stride S", 1, 64)
    with pytest.raises(live.LiveInputError) as caught:
        live.read_input(spec, raw)
    assert str(caught.value) == message


def test_what_a_reader_types_is_read_as_the_input_s_kind() -> None:
    assert live.read_input(live.Input("number", 3), " 1,024 ") == 1024
    assert live.read_input(live.Input("number", 3), "4.0") == 4
    assert live.read_input(live.Input("number", 0.5), "0.25") == 0.25
    with pytest.raises(live.LiveInputError, match="layers is empty"):
        live.read_input(live.Input("text", "CONV3-10", "layers"), "")


# -- names ----------------------------------------------------------------------------------------


def test_a_block_s_bound_and_read_names_and_an_inline_s_free_names() -> None:
    code = "import math\nx = H + 1\ndef f(a):\n    return a + G\nfor k in range(3):\n    pass\nclass C: pass\n"
    assert bound_names(code) == {"math", "x", "f", "k", "C"}
    assert read_names(code) == {"H", "G"}
    assert expression_names("f'{total:,}' + str([k * m for k in ks])") == {"total", "ks", "m"}
    assert expression_names("(") is None


# -- imports --------------------------------------------------------------------------------------


def test_cnnmath_s_shape_arithmetic_is_pure_python_and_ships_with_its_own_imports() -> None:
    found = closure(
        "from cnnmath.notation import walk\nfrom cnnmath.output_size import kernel_sizes\nfrom reckon import Table, live\nimport re"
    )
    assert found.problems == []
    assert set(found.modules) == {"cnnmath/__init__.py", "cnnmath/_validation.py", "cnnmath/output_size.py", "cnnmath/notation.py"}
    assert found.modules["cnnmath/output_size.py"] == (ROOT / "plugins/cnnmath/output_size.py").read_text(encoding="utf-8")


def test_numpy_in_a_live_block_is_refused_at_its_line_and_column_saying_why() -> None:
    found = closure("x = 1\n    \nimport numpy as np", first_line=20)
    [problem] = found.problems
    assert (problem.line, problem.col) == (22, 1)
    assert problem.message.startswith("`numpy` is an installed package, not a module of this site: ")
    assert "reader's browser (Pyodide, offline)" in problem.message


def test_a_local_module_that_imports_numpy_is_refused_naming_the_import_that_does() -> None:
    line = next(
        number
        for number, text in enumerate((ROOT / "plugins/cnnmath/correlation.py").read_text().splitlines(), 1)
        if text.startswith("import numpy")
    )
    [problem] = closure("from cnnmath.correlation import conv2d").problems
    assert problem.message.startswith(
        f"`cnnmath.correlation` (plugins/cnnmath/correlation.py:{line}), which imports `numpy`, which is an installed package"
    )


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("import sqlite3", "`sqlite3` is in the standard library but not in Pyodide's"),
        ("from reckon.plugin import ReckonPlugin", "`reckon.plugin` is the part of reckon that runs the build"),
        ("import matplotlib.pyplot as plt", "`matplotlib` is an installed package"),
        ("import no_such_module_anywhere", "`no_such_module_anywhere` cannot be found from this page"),
    ],
)
def test_other_imports_that_cannot_run_in_the_browser_are_refused(code: str, says: str) -> None:
    [problem] = closure(code).problems
    assert problem.message.startswith(says)


def test_the_standard_library_and_reckon_s_page_helpers_may_be_live() -> None:
    assert closure("import math, re, json\nfrom fractions import Fraction\nfrom reckon import Formula, Table, live, theme").problems == []


# -- a page's live part ----------------------------------------------------------------------------

PAGE = """\
# A page

```{python}
from math import floor
base = 7
```

```{python}
#| live: true
from reckon import live
from cnnmath.output_size import output_size
n = live.number(16, min=1, label="input size")
```

```{python}
#| live: true
size = output_size(n, 3, 3, 2)
size * 10
```

Live: `{python} size = 6`, and `{python} n + size`. In math, $`{python} size`$ stays as built.
Not live: `{python} base + size`.
"""


def test_live_blocks_and_the_inlines_that_read_only_their_names_are_live() -> None:
    plan, found = plan_of(PAGE)
    assert found is not None
    assert found.problems == []
    live_cells = {plan.program.cells[index].code.strip(): number for index, number in found.numbers.items()}
    assert list(live_cells) == [plan.program.cells[1].code, plan.program.cells[2].code, "size", "n + size"]
    assert list(live_cells.values()) == [0, 1, 2, 3]
    data = json.loads(found.payload)
    assert [cell["literal"] for cell in data["cells"]] == [None, None, "6", None]
    assert data["inputs"] == [{"name": "n", "line": 12, "kind": "number", "default": 16, "label": "input size", "min": 1, "max": None}]
    assert set(data["modules"]) == {"cnnmath/__init__.py", "cnnmath/_validation.py", "cnnmath/output_size.py"}


def test_the_payload_keeps_only_the_live_lines_of_the_page_and_is_the_same_every_time() -> None:
    _plan, found = plan_of(PAGE)
    assert found is not None
    source = json.loads(found.payload)["source"].split("\n")
    page = PAGE.split("\n")
    assert len(source) == len(page)
    kept = {number + 1 for number, text in enumerate(source) if text}
    assert kept == {10, 11, 12, 17, 18, 21}
    assert all(source[number - 1] == page[number - 1] for number in kept)
    assert plan_of(PAGE)[1].payload == found.payload  # type: ignore[union-attr]
    assert found.payload_uri.startswith("assets/reckon/live/")
    assert found.payload_uri.endswith(".json")


def test_a_page_without_live_blocks_has_no_live_part() -> None:
    assert plan_of("# Plain\n\n```{python}\nx = 1\n```\n\n`{python} x = 1`\n")[1] is None


def test_a_live_block_that_reads_a_name_from_a_block_that_is_not_live_fails_at_its_line() -> None:
    _plan, found = plan_of("```{python}\nbase = 7\n```\n\n```{python}\n#| live: true\ntwice = 2 * base\n```\n")
    assert found is not None
    [problem] = found.problems
    assert (problem.line, problem.col) == (5, None)
    assert problem.message.startswith("this live block reads `base`, which the block at line 1 sets; that block is not live")


def test_inputs_declared_in_a_block_that_is_not_live_fail_at_the_declaration() -> None:
    _plan, found = plan_of("```{python}\n#| live: true\nx = 1\n```\n\n```{python}\nfrom reckon import live\nn = live.number(3)\n```\n")
    assert found is not None
    [problem] = found.problems
    assert problem.line == 8
    assert "declares a live input, so it must be live" in problem.message


def test_a_live_block_importing_numpy_makes_a_located_problem_of_the_page() -> None:
    _plan, found = plan_of("# P\n\n```{python}\n#| live: true\nimport json\nimport numpy\n```\n")
    assert found is not None
    assert [(problem.path, problem.line, problem.col) for problem in found.problems] == [("docs/page.md", 6, 1)]


def test_a_name_set_again_by_a_block_that_is_not_live_is_no_longer_live_after_it() -> None:
    plan, found = plan_of("```{python}\n#| live: true\nx = 1\n```\n\n`{python} x`\n\n```{python}\nx = 2\n```\n\n`{python} x`\n")
    assert found is not None
    inlines = [index for index, cell in enumerate(plan.program.cells) if cell.kind == "inline"]
    assert [index in found.numbers for index in inlines] == [True, False]


# -- the runner ----------------------------------------------------------------------------------------


def q4_payload() -> dict:  # type: ignore[type-arg]
    source = (ROOT / "docs/q4-kernel.md").read_text(encoding="utf-8")
    found = plan_live(plan_page(source, path="docs/q4-kernel.md", src_uri="q4-kernel.md", source=source), ROOT)
    assert found is not None
    assert found.problems == []
    data: dict = json.loads(found.payload)  # type: ignore[type-arg]
    return data


def test_the_runner_recomputes_q4_for_other_shapes_as_cnnmath_does() -> None:
    page = q4_payload()
    result = run(page, ["101", "32", "3"])
    assert result["inputs"] == {}
    fits = kernel_sizes(101, 32, stride=3, padding=0)
    rows = [walk((101, 101, 10), [f"CONV{k}-96(3,0)"]).rows[0] for k in fits]
    claims = [cell for cell, shown in zip(page["cells"], result["cells"], strict=True) if cell["literal"] is not None]
    texts = [shown["text"] for cell, shown in zip(page["cells"], result["cells"], strict=True) if cell["literal"] is not None]
    assert [cell["literal"] for cell in claims] == ["{8, 9, 10}", "96,096", "418,176,000", "267,632,640"]
    expected = "{" + ", ".join(map(str, fits)) + "}"
    assert texts == [expected, f"{rows[-1].parameters:,}", f"{rows[-1].multiplications:,}", f"{rows[0].multiplications:,}"]
    table = next(shown["html"] for shown in result["cells"] if "html" in shown and "<table>" in shown["html"])
    for row in rows:
        assert f'<td style="text-align: right;">{row.parameters:,}</td>' in table
        assert f'<td style="text-align: right;">{row.multiplications:,}</td>' in table


def test_at_the_page_s_own_values_the_runner_gives_back_every_claim_s_literal() -> None:
    page = q4_payload()
    result = run(page, None)
    for cell, shown in zip(page["cells"], result["cells"], strict=True):
        if cell["literal"] is not None:
            assert shown["text"] == cell["literal"]


def test_a_refused_value_runs_nothing_and_says_what_the_build_would_say_at_the_declaration() -> None:
    page = q4_payload()
    stride = next(item for item in page["inputs"] if item["name"] == "stride")
    result = run(page, ["205", "66", "0"])
    assert result["cells"] is None
    assert result["inputs"] == {2: f"docs/q4-kernel.md:{stride['line']}: reckon.live.LiveInputError: stride S must be at least 1, not 0"}


def test_a_block_that_raises_in_the_browser_is_reported_at_its_page_line_and_the_cells_after_it_are_skipped() -> None:
    page = q4_payload()
    result = run(page, ["100", "66", "3"])
    line = next(
        number
        for number, text in enumerate((ROOT / "docs/q4-kernel.md").read_text().splitlines(), 1)
        if 'raise ValueError(f"no kernel size maps' in text
    )
    errors = [shown for shown in result["cells"] if "error" in shown]
    assert errors[0] == {"error": f"docs/q4-kernel.md:{line}: ValueError: no kernel size maps 100 rows to 66 at stride 3 without padding"}
    assert all(shown == {"skipped": True} for shown in result["cells"][result["cells"].index(errors[0]) + 1 :] if "error" not in shown)


@pytest.mark.parametrize(
    ("literal", "value", "shown"),
    [
        ("96,096", {"t": "int", "v": 61536}, "61,536"),
        ("6×6×20", {"t": "seq", "items": [{"t": "int", "v": 3}, {"t": "int", "v": 4}]}, "3×4"),
        ("{8, 9, 10}", {"t": "set", "items": [{"t": "int", "v": 2}]}, "{2}"),
        ("(1, 2)", {"t": "seq", "items": [{"t": "int", "v": 5}]}, "(5)"),
        ("141.67", {"t": "float", "v": 2.0 / 3}, "0.67"),
    ],
)
def test_a_recomputed_claim_is_written_as_the_page_writes_it(literal: str, value: dict, shown: str) -> None:  # type: ignore[type-arg]
    assert format_like(literal, value, "fallback") == shown


def test_the_runtime_bundle_and_a_payload_are_all_the_runner_needs(tmp_path: Path) -> None:
    """An isolated interpreter (no site-packages, no project on its path) runs Q4 from the two JSON files."""
    bundle = json.loads(runtime_bundle())["files"]
    for name in RUNTIME_MODULES:
        assert name.replace(".", "/") + ".py" in bundle or name.replace(".", "/") + "/__init__.py" in bundle
    assert "markdown/extensions/tables.py" in bundle
    assert "pymdownx/arithmatex.py" in bundle
    page = q4_payload()
    for path, text in {**bundle, **page["modules"]}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    script = (
        "import json, sys\nsys.path.insert(0, '.')\nfrom reckon.live.browser import run\n"
        "result = run(json.load(open('page.json')), ['101', '32', '3'])\n"
        "assert 'numpy' not in sys.modules and 'mkdocs' not in sys.modules\n"
        "print(json.dumps([cell.get('text') for cell in result['cells']]))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == [cell.get("text") for cell in run(page, ["101", "32", "3"])["cells"]]
