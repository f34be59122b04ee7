"""The result cache: never stale, never trusting a corrupt entry, never stopping a build."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reckon.cache import ResultCache
from reckon.program import BlockResult, CellError, CodeCell, FigureImages, InlineResult, PageProgram, ProgramResult, RenderedValue

PROGRAM = PageProgram("docs/p.md", (CodeCell("block", "x = 1", 3), CodeCell("inline", "x", 7, 4)))
RESULT = ProgramResult(
    (BlockResult("out\n", 0, RenderedValue("markdown", "**1**"), (FigureImages("<svg/>"),), 2), InlineResult("1", {"t": "int", "v": 1})),
    dependencies=(),
    seconds=0.5,
    lines=(3, 7),
)


def entries(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.jsonl"))


def test_a_result_round_trips_through_disk(tmp_path: Path) -> None:
    ResultCache(tmp_path, tmp_path).put(PROGRAM, RESULT)
    assert ResultCache(tmp_path, tmp_path).get(PROGRAM) == RESULT


def test_prose_does_not_enter_the_key_but_code_and_order_do() -> None:
    moved = PageProgram("docs/p.md", (CodeCell("block", "x = 1", 30), CodeCell("inline", "x", 70, 9)), source="other prose")
    edited = PageProgram("docs/p.md", (CodeCell("block", "x = 2", 3), CodeCell("inline", "x", 7, 4)))
    cache = ResultCache(None, Path("."))
    assert cache.key(moved) == cache.key(PROGRAM)
    assert cache.key(edited) != cache.key(PROGRAM)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "checksum", "empty", "wrong shape"])
def test_a_damaged_entry_is_recomputed_never_trusted(tmp_path: Path, damage: str) -> None:
    ResultCache(tmp_path, tmp_path).put(PROGRAM, RESULT)
    (entry,) = entries(tmp_path)
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        entry.write_bytes(os.urandom(200))
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "checksum":
        entry.write_text(entry.read_text().replace('"out\\n"', '"tampered"'))
    else:
        header, _newline, payload = data.partition(b"\n")
        parsed = json.loads(payload)
        parsed["cells"] = "not a list"
        entry.write_bytes(header + b"\n" + json.dumps(parsed).encode())
    assert ResultCache(tmp_path, tmp_path).get(PROGRAM) is None


def test_a_changed_dependency_invalidates_and_restoring_it_validates(tmp_path: Path) -> None:
    module = tmp_path / "helpers.py"
    module.write_text("A = 1\n")
    import hashlib

    digest = hashlib.sha256(module.read_bytes()).hexdigest()
    result = ProgramResult(RESULT.cells, (("helpers.py", digest),), 0.1, lines=(3, 7))
    cache = ResultCache(tmp_path / "cache", tmp_path)
    cache.put(PROGRAM, result)
    assert cache.get(PROGRAM) == result
    module.write_text("A = 2\n")
    assert cache.get(PROGRAM) is None
    module.write_text("A = 1\n")
    assert ResultCache(tmp_path / "cache", tmp_path).get(PROGRAM) == result
    module.unlink()
    assert cache.get(PROGRAM) is None


def test_failures_are_never_stored(tmp_path: Path) -> None:
    failed = ProgramResult((BlockResult(error=CellError("exception", 3, 1, "ValueError: no")), None))
    cache = ResultCache(tmp_path, tmp_path)
    cache.put(PROGRAM, failed)
    assert cache.get(PROGRAM) is None and entries(tmp_path) == []


def test_output_that_quotes_line_numbers_is_invalid_once_the_code_moves(tmp_path: Path) -> None:
    result = ProgramResult(RESULT.cells, (), 0.1, mentions_lines=True, lines=(3, 7))
    cache = ResultCache(tmp_path, tmp_path)
    cache.put(PROGRAM, result)
    moved = PageProgram("docs/p.md", (CodeCell("block", "x = 1", 4), CodeCell("inline", "x", 8, 4)))
    assert cache.get(PROGRAM) == result
    assert cache.get(moved) is None


def test_an_unusable_cache_folder_warns_once_and_the_build_goes_on(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    warnings: list[str] = []
    cache = ResultCache(blocker, tmp_path, warn=warnings.append)
    cache.put(PROGRAM, RESULT)
    cache.put(PROGRAM, RESULT)
    assert len(warnings) == 1 and "cannot be written" in warnings[0]
    assert cache.get(PROGRAM) == RESULT  # kept in memory


def test_a_result_that_is_not_json_data_stays_in_memory_with_a_warning(tmp_path: Path) -> None:
    odd = ProgramResult((InlineResult("1", {"t": "other", "type": "x", "repr": object()}),), lines=(7,))  # type: ignore[dict-item]
    program = PageProgram("docs/p.md", (CodeCell("inline", "x", 7, 4),))
    warnings: list[str] = []
    cache = ResultCache(tmp_path, tmp_path, warn=warnings.append)
    cache.put(program, odd)
    assert entries(tmp_path) == [] and len(warnings) == 1 and "could not be stored" in warnings[0]
    assert cache.get(program) == odd


def test_a_cache_is_empty_until_it_holds_a_result(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache", tmp_path)
    assert cache.is_empty()
    cache.put(PROGRAM, RESULT)
    assert not cache.is_empty()
    assert not ResultCache(tmp_path / "cache", tmp_path).is_empty()  # found on disk by a new build


def test_an_entry_with_a_figure_in_two_files_as_reckon_wrote_them_before_is_recomputed(tmp_path: Path) -> None:
    """Figures were a light and a dark SVG; now one SVG serves both, drawn in another style: such an entry must run again."""
    import hashlib

    ResultCache(tmp_path, tmp_path).put(PROGRAM, RESULT)
    (entry,) = entries(tmp_path)
    header, _newline, payload = entry.read_bytes().partition(b"\n")
    parsed = json.loads(payload)
    parsed["cells"][0]["figures"] = [{"light": "<svg/>", "dark": "<svg dark/>"}]
    payload = json.dumps(parsed).encode()
    format_header = json.loads(header) | {"checksum": hashlib.sha256(payload).hexdigest()}  # a sound entry of the old shape
    entry.write_bytes(json.dumps(format_header).encode() + b"\n" + payload)
    assert ResultCache(tmp_path, tmp_path).get(PROGRAM) is None
