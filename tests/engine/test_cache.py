"""The result cache: never stale, never trusting a corrupt entry, never stopping a build."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reckon.cache import ResultCache, _engine_digest, environment_signature
from reckon.run.process import ABSENT, listing_digest
from reckon.wire import BlockResult, CellError, CodeCell, FigureImages, InlineResult, PageProgram, ProgramResult, RenderedValue

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


def test_a_failure_is_stored_like_any_result_but_used_only_under_the_limits_it_ran_under(tmp_path: Path) -> None:
    stopped = CellError("timeout", 3, None, "the code ran longer than the 3 s timeout and was stopped")
    timed_out = ProgramResult((None, None), error=stopped, lines=(3, 7))
    ResultCache(tmp_path, tmp_path, conditions="timeout=3").put(PROGRAM, timed_out)
    assert len(entries(tmp_path)) == 1
    assert ResultCache(tmp_path, tmp_path, conditions="timeout=3").get(PROGRAM) == timed_out
    assert ResultCache(tmp_path, tmp_path, conditions="timeout=30").get(PROGRAM) is None  # a raised timeout runs it again
    ResultCache(tmp_path, tmp_path, conditions="timeout=3").put(PROGRAM, RESULT)
    assert ResultCache(tmp_path, tmp_path, conditions="timeout=30").get(PROGRAM) == RESULT  # a success holds under any limits


def test_a_file_that_was_missing_invalidates_the_result_once_it_exists(tmp_path: Path) -> None:
    error = CellError("exception", 3, 1, "FileNotFoundError: data.csv")
    failed = ProgramResult((BlockResult(error=error), None), (("docs/data.csv", ABSENT),), lines=(3, 7))
    cache = ResultCache(tmp_path / "cache", tmp_path)
    cache.put(PROGRAM, failed)
    assert cache.get(PROGRAM) == failed
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "data.csv").write_text("1,2\n")
    assert cache.get(PROGRAM) is None


def test_a_folder_listing_invalidates_the_result_when_a_file_appears_in_it(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    error = CellError("exception", 3, 1, "ModuleNotFoundError: helpers")
    listing = ("docs/", listing_digest(str(tmp_path / "docs")))
    failed = ProgramResult((BlockResult(error=error), None), (listing,), lines=(3, 7))
    cache = ResultCache(tmp_path / "cache", tmp_path)
    cache.put(PROGRAM, failed)
    assert cache.get(PROGRAM) == failed
    (tmp_path / "docs" / "helpers.py").write_text("A = 1\n")
    assert cache.get(PROGRAM) is None


def test_the_variant_is_part_of_every_key() -> None:
    page, project = (ResultCache(None, Path("."), variant=f"working_dir={where}").key(PROGRAM) for where in ("page", "project"))
    assert page != project


def test_output_that_quotes_line_numbers_is_served_as_it_was_while_the_code_stays_put(tmp_path: Path) -> None:
    result = ProgramResult(RESULT.cells, (), 0.1, mentions_lines=True, lines=(3, 7))
    cache = ResultCache(tmp_path, tmp_path)
    cache.put(PROGRAM, result)
    assert cache.get(PROGRAM) == result


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


def test_results_are_keyed_by_reckons_own_source_not_only_its_version_number(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "values.py").write_text("LIMIT = 100\n")
    before = _engine_digest(tmp_path)
    assert _engine_digest(tmp_path) == before
    (tmp_path / "run" / "values.py").write_text("LIMIT = 200\n")
    assert _engine_digest(tmp_path) != before
    assert _engine_digest() in environment_signature()


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


def test_a_result_that_quotes_its_lines_moves_them_with_its_cells_when_prose_above_them_changes(tmp_path: Path) -> None:
    program = PageProgram("docs/p.md", (CodeCell("block", "import warnings", 3), CodeCell("block", "int('x')", 10)))
    warned = BlockResult(warnings=("docs/p.md:4: UserWarning: careful",))
    raised = CellError(
        "exception",
        11,
        1,
        "ValueError: invalid literal",
        'Traceback:\n  File "docs/p.md", line 11, in <module>\n  File "other.py", line 11',
    )
    result = ProgramResult((warned, BlockResult(raised=raised)), mentions_lines=True, lines=(3, 10))
    ResultCache(tmp_path, tmp_path).put(program, result)
    # Two lines of prose above the first block, one more between the blocks: the code is the same.
    moved = PageProgram("docs/p.md", (CodeCell("block", "import warnings", 5), CodeCell("block", "int('x')", 13)))
    found = ResultCache(tmp_path, tmp_path).get(moved)
    assert found is not None, "the same code runs nothing again"
    first, second = found.cells
    assert isinstance(first, BlockResult) and isinstance(second, BlockResult) and second.raised is not None
    assert first.warnings == ("docs/p.md:6: UserWarning: careful",)
    assert second.raised.line == 14
    assert 'File "docs/p.md", line 14' in second.raised.traceback and 'File "other.py", line 11' in second.raised.traceback
    assert found.lines == (5, 13)
