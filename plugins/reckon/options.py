"""Read the ``#| key: value`` options at the top of a ```` ```{python} ```` block."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .scanner import Block

__all__ = ["OptionText", "BlockOptions", "parse_options", "OPTION_VALUES"]

#: Every option and the values it accepts (``None``: free text).
OPTION_VALUES: dict[str, tuple[str, ...] | None] = {
    "echo": ("true", "false", "fold"),
    "output": ("true", "false", "asis"),
    "label": None,
    "fig-cap": None,
    "fig-alt": None,
    "live": ("true", "false"),  # re-run in the reader's browser when an input changes (reckon.live)
}
_HINTS = {
    "code-fold": "use `echo: fold`",
    "eval": "a block that should not run belongs in a ```python fence",
    "include": "use `echo: false` and `output: false`",
    "results": "use `output: asis`",
    "fig-caption": "the option is `fig-cap`",
    "alt": "the option is `fig-alt`",
    "caption": "the option is `fig-cap`",
}
_OPTION_LINE = re.compile(r"^#\|(?P<space>[ \t]*)(?P<key>[^:\s]+)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
_LABEL = re.compile(r"^fig-[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class OptionText:
    """A free-text option value (it may hold inline ``{python}`` code) and where it starts."""

    text: str
    line: int
    col: int


@dataclass(frozen=True)
class BlockOptions:
    """A block's options; the defaults are those of a block with none."""

    echo: str = "true"
    output: str = "true"
    label: str | None = None
    fig_cap: OptionText | None = None
    fig_alt: OptionText | None = None
    live: bool = False
    lines: int = 0  # how many lines of the body the options take
    problems: tuple[Diagnostic, ...] = field(default=(), compare=False)


def parse_options(block: Block, path: str) -> BlockOptions:
    """Read the option lines at the top of ``block``.

    Every unknown option, unreadable line, repeated option and bad value becomes a diagnostic at
    its line; the option then keeps its default, so that the block can still run.
    """
    values: dict[str, str | OptionText] = {}
    problems: list[Diagnostic] = []
    count = 0
    for count, text in enumerate(block.body, start=1):
        if not text.startswith("#|"):
            count -= 1
            break
        line = block.body_line + count - 1
        match = _OPTION_LINE.match(text)
        if match is None:
            problems.append(Diagnostic(path, line, None, f"cannot read the option line `{text}`: write `#| key: value`"))
            continue
        key, value = match["key"], _unquote(match["value"])
        if key not in OPTION_VALUES:
            problems.append(Diagnostic(path, line, block.indent_width + 3 + len(match["space"]), _unknown(key)))
            continue
        if key in values:
            problems.append(Diagnostic(path, line, None, f"the option `{key}` is given twice"))
            continue
        allowed = OPTION_VALUES[key]
        if allowed is not None:
            value = value.lower()
            if value not in allowed:
                choices = ", ".join(f"`{choice}`" for choice in allowed)
                problems.append(Diagnostic(path, line, None, f"`{key}: {match['value']}` is not valid; use one of {choices}"))
                continue
            values[key] = value
        elif key == "label":
            if not _LABEL.match(value):
                problems.append(
                    Diagnostic(path, line, None, f"the label `{value}` is not valid: a label is `fig-` then letters, digits, - or _")
                )
                continue
            values[key] = value
        else:
            column = block.indent_width + match.start("value") + 1 + (1 if match["value"][:1] in "\"'" else 0)
            values[key] = OptionText(value, line, column)
    return BlockOptions(
        echo=str(values.get("echo", "true")),
        output=str(values.get("output", "true")),
        label=values.get("label"),  # type: ignore[arg-type]
        fig_cap=values.get("fig-cap"),  # type: ignore[arg-type]
        fig_alt=values.get("fig-alt"),  # type: ignore[arg-type]
        live=values.get("live") == "true",
        lines=count,
        problems=tuple(problems),
    )


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].replace("\\" + value[0], value[0])
    return value


def _unknown(key: str) -> str:
    known = ", ".join(f"`{name}`" for name in OPTION_VALUES)
    hint = _HINTS.get(key)
    if hint is None:
        close = difflib.get_close_matches(key, OPTION_VALUES, n=1)
        hint = f"did you mean `{close[0]}`?" if close else None
    return f"unknown option `{key}` ({hint}); the options are {known}" if hint else f"unknown option `{key}`; the options are {known}"
