"""Live inputs: values a reader may change, after which the page's live blocks re-run in the browser.

Declare inputs in a block marked ``#| live: true``, one per statement::

    from reckon import live

    H = live.number(205, min=1, max=1024, label="input size")
    layers = live.text("CONV3-10, ReLU, POOL-2")

When the site builds, each call returns its default (checked against its own limits), so every
claim is checked as usual. In the reader's browser the same blocks run again in Pyodide, and each
call returns what the reader typed, read by the same function (:func:`read_input`), so a bad value
gets the message the build would give.

This module is shipped to the browser: it imports only the standard library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["Input", "LiveInputError", "number", "read_input", "text"]


class LiveInputError(ValueError):
    """A value for an input that the input does not accept; the message says why, for a reader."""


@dataclass(frozen=True)
class Input:
    """A declared input.

    Attributes:
        kind: ``"number"`` or ``"text"``.
        default: The value the site is built with.
        label: What the page calls it.
        min: The smallest number accepted (numbers only).
        max: The largest number accepted (numbers only).
    """

    kind: str
    default: int | float | str
    label: str = ""
    min: float | None = None
    max: float | None = None

    @property
    def integer(self) -> bool:
        """Whether the input takes whole numbers only (its default is an ``int``)."""
        return self.kind == "number" and isinstance(self.default, int)


# Set by the browser's runner for one run: the reader's values, in the order the inputs are declared.
_values: list[Any] | None = None
_next = 0


def number(default: int | float, *, min: float | None = None, max: float | None = None, label: str = "") -> int | float:
    """A number the reader may change: an ``int`` default takes whole numbers only.

    Raises:
        LiveInputError: The default (or, in the browser, the reader's value) is out of range.
    """
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        raise TypeError(f"live.number needs a number as its default, not {default!r}")
    value = _take(Input("number", default, label, min, max))
    assert isinstance(value, (int, float))
    return value


def text(default: str, *, label: str = "") -> str:
    """A line of text the reader may change.

    Raises:
        LiveInputError: The text is empty.
    """
    if not isinstance(default, str):
        raise TypeError(f"live.text needs a string as its default, not {default!r}")
    value = _take(Input("text", default, label))
    assert isinstance(value, str)
    return value


def read_input(spec: Input, raw: object) -> int | float | str:
    """The value ``raw`` (what was typed, or the default) gives for ``spec``.

    Raises:
        LiveInputError: ``raw`` is empty, not a number, not whole, or out of range.
    """
    name = spec.label or "this input"
    if spec.kind == "text":
        value = str(raw)
        if not value.strip():
            raise LiveInputError(f"{name} is empty: write a value")
        return value
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        parsed: int | float = raw
    else:
        written = str(raw).strip().replace(",", "").replace("_", "")
        if not written:
            raise LiveInputError(f"{name} is empty: write a number")
        try:
            parsed = int(written)
        except ValueError:
            try:
                parsed = float(written)
            except ValueError:
                raise LiveInputError(f"{name} must be a number, not {str(raw).strip()!r}") from None
    if isinstance(parsed, float) and not math.isfinite(parsed):
        raise LiveInputError(f"{name} must be a finite number")
    if spec.integer:
        if parsed != int(parsed):
            raise LiveInputError(f"{name} must be a whole number, not {parsed}")
        parsed = int(parsed)
    if spec.min is not None and parsed < spec.min:
        raise LiveInputError(f"{name} must be at least {_shown(spec.min)}, not {_shown(parsed)}")
    if spec.max is not None and parsed > spec.max:
        raise LiveInputError(f"{name} must be at most {_shown(spec.max)}, not {_shown(parsed)}")
    return parsed


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _take(spec: Input) -> int | float | str:
    global _next
    if _values is None:
        return read_input(spec, spec.default)
    index, _next = _next, _next + 1
    if index >= len(_values):
        raise RuntimeError("reckon.live: more inputs ran than the page declared")
    return read_input(spec, _values[index])


def _begin_run(values: list[Any] | None) -> None:
    """Start a run in the browser with the reader's values (``None``: the defaults)."""
    global _values, _next
    _values, _next = values, 0
