"""Highlighted code remembered within a process: the same HTML as Pygments gives, and settings always respected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pymdownx.highlight
import pytest

import markdown
from reckon.highlighting import remember_highlighting

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
