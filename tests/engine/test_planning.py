"""Planning a page: which blocks run, with what, and what they are numbered (nothing runs here)."""

from __future__ import annotations

from reckon.page.plan import PlannedBlock, PlannedInline, plan_page


def blocks(markdown: str, defaults: dict[str, object]) -> list[PlannedBlock]:
    page = plan_page(markdown, path="docs/p.md", src_uri="p.md", defaults=defaults)
    return [item for item in page.items if isinstance(item, PlannedBlock)]


def test_a_block_with_eval_false_is_not_in_the_program() -> None:
    page = plan_page("```{python}\n#| eval: false\nopen('x', 'w')\n```\n\n```{python}\ny = 1\n```\n", path="docs/p.md", src_uri="p.md")
    assert [cell.code for cell in page.program.cells] == ["y = 1"]
    first, second = (item for item in page.items if isinstance(item, PlannedBlock))
    assert (first.cell, first.skipped, second.cell, second.skipped) == (None, "eval", 0, "")
    assert page.problems == []


def test_a_block_with_any_bad_option_is_not_in_the_program_and_the_problem_is_at_its_line() -> None:
    for bad in ["#| ech: false", "#| eval: flase", "#|nonsense", "#| echo: false\n#| echo: true", "#| fig-width: big"]:
        page = plan_page(f"# T\n\n```{{python}}\n#| output: true\n{bad}\nopen('x', 'w')\n```\n", path="docs/p.md", src_uri="p.md")
        assert page.program.cells == (), bad
        [block] = [item for item in page.items if isinstance(item, PlannedBlock)]
        assert block.skipped == "options"
        assert [problem.line for problem in page.problems] == [5 + bad.count("\n")], bad


def test_a_duplicate_label_stops_the_second_block() -> None:
    markdown = "```{python}\n#| label: setup\nx = 1\n```\n\n```{python}\n#| label: setup\nx = 2\n```\n"
    page = plan_page(markdown, path="docs/p.md", src_uri="p.md")
    assert [cell.code for cell in page.program.cells] == ["x = 1"]
    assert [(problem.line, problem.message) for problem in page.problems] == [
        (6, "the label `setup` is used by an earlier block on this page")
    ]


def test_figures_and_tables_are_numbered_apart_and_other_labels_are_not_numbered() -> None:
    markdown = "".join(f"```{{python}}\n#| label: {label}\nx = 1\n```\n\n" for label in ["fig-a", "tbl-a", "setup", "tbl-b", "fig-b"])
    page = plan_page(markdown, path="docs/p.md", src_uri="p.md")
    assert page.figure_numbers == {"fig-a": 1, "fig-b": 2}
    assert page.table_numbers == {"tbl-a": 1, "tbl-b": 2}


def test_the_cells_carry_what_decides_their_results() -> None:
    page = plan_page(
        "```{python}\n#| warning: false\n#| error: true\n#| fig-width: 3\n#| include: false\nx = 1\n```\n", path="docs/p.md", src_uri="p.md"
    )
    [cell] = page.program.cells
    assert (cell.show, cell.warnings, cell.allow_error, cell.fig_width, cell.fig_height) == (False, False, True, 3.0, None)
    other = plan_page("```{python}\nx = 1\n```\n", path="docs/p.md", src_uri="p.md")
    assert page.program.cache_key("env") != other.program.cache_key("env")


def test_the_sites_defaults_apply_and_a_block_overrides_them() -> None:
    first, second = blocks("```{python}\nx = 1\n```\n\n```{python}\n#| eval: true\ny = 2\n```\n", defaults={"eval": False, "echo": "fold"})
    assert (first.skipped, first.options.echo) == ("eval", "fold")
    assert (second.skipped, second.options.echo) == ("", "fold")


def test_a_pages_execute_defaults_come_from_its_front_matter() -> None:
    source = "---\ntitle: T\nexecute:\n  eval: false\n---\n\n```{python}\nx = 1\n```\n"
    markdown = source.split("---\n", 2)[2].lstrip("\n")
    page = plan_page(markdown, path="docs/p.md", src_uri="p.md", first_line=7, source=source, defaults={"eval": True})
    assert page.program.cells == ()
    assert page.problems == []


def test_a_page_whose_execute_defaults_are_wrong_runs_nothing_at_all() -> None:
    source = "---\nexecute:\n  evall: false\n---\n\n```{python}\nopen('x', 'w')\n```\n\nInline `{python} 1 + 1`.\n"
    markdown = source.split("---\n", 2)[2].lstrip("\n")
    page = plan_page(markdown, path="docs/p.md", src_uri="p.md", first_line=6, source=source)
    assert page.program.cells == ()
    assert [(problem.line, problem.message.split(" (")[0]) for problem in page.problems] == [
        (3, "front matter: unknown option `evall` in `execute`")
    ]
    [block] = [item for item in page.items if isinstance(item, PlannedBlock)]
    [inline] = [item for item in page.items if isinstance(item, PlannedInline)]
    assert (block.skipped, inline.cell) == ("page", None)


def test_names_a_block_that_does_not_run_would_define_are_remembered_with_its_line() -> None:
    page = plan_page(
        "\n```{python}\n#| eval: false\nimport numpy.linalg as la, os.path\nfrom math import pi\nx, (y, z) = 1, (2, 3)\n"
        "def f():\n    inner = 1\nclass C: pass\nfor i in range(2):\n    total = i\n```\n",
        path="docs/p.md",
        src_uri="p.md",
    )
    expected = {"la", "os", "pi", "x", "y", "z", "f", "C", "i", "total"}
    assert page.undefined == dict.fromkeys(expected, (2, "`eval: false`"))
