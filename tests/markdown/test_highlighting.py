"""Highlighted code remembered within a process: the same HTML as Pygments gives, and settings always respected."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymdownx.highlight
import pytest

import markdown
from reckon.highlighting import keep_highlighting, remember_highlighting

FENCE = "```python\nx = [1, 2, 3]\nprint(sum(x))\n```\n"
TITLED = '```python title="sum.py"\nx = [1, 2, 3]\nprint(sum(x))\n```\n'


def convert(text: str, **highlight: object) -> str:
    extensions = ["pymdownx.highlight", "pymdownx.superfences", "pymdownx.inlinehilite"]
    return markdown.Markdown(extensions=extensions, extension_configs={"pymdownx.highlight": highlight}).convert(text)


@pytest.fixture
def pygments_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources Pygments is asked to highlight, from here on."""
    calls: list[str] = []
    original: Callable[..., Any] = pymdownx.highlight.highlight

    def counting(src: str, *args: Any) -> Any:
        calls.append(src)
        return original(src, *args)

    monkeypatch.setattr(pymdownx.highlight, "highlight", counting)
    return calls


def test_a_block_seen_before_is_not_highlighted_again(pygments_calls: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as unwrapped:  # what pymdownx itself makes of the page, remembering nothing
        highlight = pymdownx.highlight.Highlight.highlight
        unwrapped.setattr(pymdownx.highlight.Highlight, "highlight", getattr(highlight, "__wrapped__", highlight))
        fresh = convert(FENCE + "\nAnd `#!python len(x)` inline.\n", anchor_linenums=False)
    remember_highlighting()
    remember_highlighting()  # installing twice wraps once
    first = convert(FENCE + "\nAnd `#!python len(x)` inline.\n", anchor_linenums=False)
    calls = len(pygments_calls)
    again = convert(FENCE + "\nAnd `#!python len(x)` inline.\n", anchor_linenums=False)
    assert first == again == fresh
    assert '<span class="nb">sum</span>' in again
    assert len(pygments_calls) - calls == 1  # only the inline code, which is never remembered


@pytest.mark.parametrize("settings", [{"linenums": True}, {"noclasses": True, "pygments_style": "monokai"}, {"line_spans": "__span"}])
def test_other_highlight_settings_are_never_served_what_was_remembered(settings: dict[str, object]) -> None:
    remember_highlighting()
    plain = convert(FENCE)
    configured = convert(FENCE, **settings)
    assert configured != plain
    assert convert(FENCE, **settings) == configured


def test_a_block_with_a_title_is_highlighted_every_time(pygments_calls: list[str]) -> None:
    remember_highlighting()
    first = convert(TITLED)
    calls = len(pygments_calls)
    assert convert(TITLED) == first
    assert "sum.py" in first
    assert len(pygments_calls) - calls == 1


KEPT = """
import json, sys
from pathlib import Path
import markdown
import pymdownx.highlight
from reckon.highlighting import keep_highlighting, remember_highlighting
calls = []
original = pymdownx.highlight.highlight
pymdownx.highlight.highlight = lambda src, *args: calls.append(src) or original(src, *args)
remember_highlighting(Path(sys.argv[1]))
html = markdown.Markdown(extensions=["pymdownx.highlight", "pymdownx.superfences"]).convert(sys.argv[2])
print(json.dumps({"calls": len(calls), "html": html}))
"""


def in_a_new_process(file: Path, text: str) -> dict[str, Any]:
    completed = subprocess.run([sys.executable, "-c", KEPT, str(file), text], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def test_blocks_kept_in_a_file_are_not_highlighted_again_by_the_next_build(tmp_path: Path) -> None:
    file = tmp_path / "cache" / "highlighted.json"
    first = in_a_new_process(file, FENCE)  # no file yet: highlighted, and nothing written by itself
    assert first["calls"] == 1
    remember_highlighting(file)
    assert convert(FENCE) == first["html"]
    keep_highlighting()
    assert file.is_file()
    again = in_a_new_process(file, FENCE)
    assert again == {"calls": 0, "html": first["html"]}
    other = in_a_new_process(file, FENCE.replace("sum", "max"))  # a block the file does not hold
    assert other["calls"] == 1


def test_a_file_written_under_other_versions_or_damaged_is_not_used(tmp_path: Path) -> None:
    file = tmp_path / "highlighted.json"
    remember_highlighting(file)
    convert(FENCE.replace("sum", "min"))
    keep_highlighting()
    header, _newline, payload = file.read_bytes().partition(b"\n")
    stored = json.loads(payload)
    stored["versions"] = ["pygments=0.1", *stored["versions"][1:]]
    changed = json.dumps(stored).encode()
    file.write_bytes(json.dumps({**json.loads(header), "checksum": hashlib.sha256(changed).hexdigest()}).encode() + b"\n" + changed)
    assert in_a_new_process(file, FENCE.replace("sum", "min"))["calls"] == 1
    file.write_bytes(b"{not json")
    assert in_a_new_process(file, FENCE.replace("sum", "min"))["calls"] == 1
