"""The runner inside the reader's browser: re-run a page's live cells with the reader's inputs.

The worker (``worker.js``) loads Pyodide, writes the runtime's and the page's modules into its file
system, and calls :func:`run` with the page's payload and what the reader typed. The cells run
through reckon's own :func:`~reckon.run.execute.execute_program`, the function that ran them when the
site was built, and a block's Markdown becomes HTML through Python-Markdown with the extensions the
site writes tables and math with. Only the standard library and pure-Python modules are imported,
so this also runs (and is tested) in ordinary CPython.
"""

from __future__ import annotations

import traceback
from typing import Any

from reckon import live
from reckon.page.verify import LiteralError, Number, NumberSequence, NumberSet, Shape, _format_like, check_claim, parse_literal
from reckon.run.execute import execute_program
from reckon.wire import NO_VALUE, BlockResult, CodeCell, Comparable, InlineResult, PageProgram, exact_value

__all__ = ["run", "to_html"]

_converters: list[Any] = []  # made on first use: Python-Markdown is imported only when a block is shown


def to_html(markdown: str) -> str:
    """Markdown as the site renders a block's output: tables, attribute lists, arithmatex's math."""
    if not _converters:
        import markdown as python_markdown  # type: ignore[import-untyped]

        converter = python_markdown.Markdown(
            extensions=["markdown.extensions.tables", "markdown.extensions.attr_list", "pymdownx.arithmatex"],
            extension_configs={"pymdownx.arithmatex": {"generic": True}},
        )
        _converters.append(converter)
    converter = _converters[0]
    converter.reset()
    return str(converter.convert(markdown))


def run(page: dict[str, Any], raw_values: list[Any] | None) -> dict[str, Any]:
    """Run the page's live cells with ``raw_values`` (what the reader typed, input by input).

    Returns:
        ``{"inputs": {index: message}, "cells": [...]}``: a message for each input whose value is
        refused (then nothing runs and ``cells`` is ``None``); otherwise one entry per live cell,
        ``{"html": ...}`` for a block, ``{"text": ...}`` for an inline value or claim,
        ``{"error": "docs/page.md:LINE: ..."}`` for a cell that failed, ``{"skipped": true}`` for
        one after a block that failed.
    """
    specs = [live.Input(item["kind"], item["default"], item["label"], item["min"], item["max"]) for item in page["inputs"]]
    values: list[Any] = []
    problems: dict[int, str] = {}
    for index, spec in enumerate(specs):
        raw = spec.default if raw_values is None else raw_values[index]
        try:
            values.append(live.read_input(spec, raw))
        except live.LiveInputError as error:
            # As the build reports a default the input refuses: the declaration's line, the exception.
            summary = traceback.format_exception_only(error)[-1].strip()
            problems[index] = f"{page['path']}:{page['inputs'][index]['line']}: {summary}"
    if problems:
        return {"inputs": problems, "cells": None}
    cells = tuple(CodeCell(cell["kind"], cell["code"], cell["line"], cell["col"], cell["show"]) for cell in page["cells"])
    program = PageProgram(page["path"], cells, page["source"], True)
    live._begin_run(values)
    try:
        results = execute_program(program, as_main=False)
    finally:
        live._begin_run(None)
    return {"inputs": {}, "cells": [_shown(page, cell, result) for cell, result in zip(page["cells"], results, strict=True)]}


def _shown(page: dict[str, Any], cell: dict[str, Any], result: BlockResult | InlineResult | None) -> dict[str, Any]:
    if result is None:
        return {"skipped": True}
    if result.error is not None:
        message = result.error.message
        if cell["kind"] == "inline" and result.error.kind == "exception":
            message = f"`{cell['code'].strip()}` raised {message}"
        return {"error": f"{page['path']}:{result.error.line}: {message}"}
    if isinstance(result, BlockResult):
        return {"html": to_html(_block_markdown(cell, result))}
    if cell["literal"] is None:
        return {"text": result.text}
    return {"text": format_like(cell["literal"], result.comparable or NO_VALUE, result.text)}


def _block_markdown(cell: dict[str, Any], result: BlockResult) -> str:
    """A block's output as assembly writes it (figures aside: a live block draws none)."""
    if cell["output"] == "false":
        return ""
    parts = []
    if result.output:
        parts.append(result.output if cell["output"] == "asis" else _fence(result.output.rstrip("\n")))
    if result.value is not None:
        parts.append(result.value.text if result.value.kind == "markdown" else _fence(result.value.text))
    return "\n\n".join(parts)


def _fence(text: str) -> str:
    ticks = "`" * max(3, max((len(run) for run in text.split("\n") if set(run) == {"`"}), default=0) + 1)
    return f"{ticks}text\n{text}\n{ticks}"


def format_like(literal_text: str, computed: Comparable, fallback: str) -> str:
    """A recomputed value written the way the page writes its claim (``61,536``, ``6×6×20``, ``{8, 9}``)."""
    try:
        literal = parse_literal(literal_text)
    except LiteralError:
        return fallback
    if isinstance(literal, Number):
        return check_claim(literal_text, computed).computed
    if computed["t"] != "seq" and computed["t"] != "set":
        return fallback
    items = [item for item in computed["items"] if item["t"] != "bool"]
    if len(items) != len(computed["items"]):
        return fallback
    model = literal.items[0] if isinstance(literal, (NumberSet, NumberSequence)) and literal.items else parse_literal("0")
    assert isinstance(model, Number)
    written = [_format_like(model, exact_value(item)) for item in items]
    if isinstance(literal, Shape):
        return literal.separator.join(written)
    if isinstance(literal, NumberSet):
        return "{" + ", ".join(written) + "}"
    return literal.text[0] + ", ".join(written) + literal.text[-1]
