"""Read a block's options: ``#| key: value`` lines at the top of a ```` ```{python} ```` block.

The options are Quarto's, with Quarto's meaning. Those that say how code runs and shows (``eval``,
``echo``, ``output``, ...) may also be given defaults, for a page in its front matter (an
``execute:`` mapping, as in Quarto, where Quarto's page-level ``code-fold``, ``code-summary``,
``fig-width`` and ``fig-height`` may also stand at the top level) and for the whole site in the
plugin's ``execute`` setting. A block's own options win over the page's, the page's over the site's.

A block whose options cannot be read as the author meant them (an unknown option, a bad value, an
unreadable line, an option given twice) is reported at the line and never run: running it with
defaults would run code the author may have asked not to run.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic
from .scan import Block

__all__ = [
    "EXECUTE_KEYS",
    "FRONT_MATTER_KEYS",
    "OPTIONS",
    "BlockOptions",
    "Option",
    "OptionText",
    "page_defaults",
    "parse_options",
    "read_defaults",
    "read_value",
]


@dataclass(frozen=True)
class Option:
    """What an option accepts.

    Attributes:
        kind: ``choice`` (one of ``choices``), ``number`` (a positive number), ``label``, ``text``
            (plain text) or ``markdown`` (text that may hold inline ``{python}`` code).
        choices: For ``choice``: the values, ``true`` and ``false`` first when it has them.
        default: Whether a page or the site may give it a default (``execute:``).
    """

    kind: str
    choices: tuple[str, ...] = ()
    default: bool = True


_BOOLEAN = ("true", "false")

#: Every option, in the order the guide lists them.
OPTIONS: dict[str, Option] = {
    "eval": Option("choice", _BOOLEAN),
    "echo": Option("choice", (*_BOOLEAN, "fold", "fenced")),
    "code-fold": Option("choice", (*_BOOLEAN, "show")),
    "code-summary": Option("text"),
    "output": Option("choice", (*_BOOLEAN, "asis")),
    "include": Option("choice", _BOOLEAN),
    "warning": Option("choice", _BOOLEAN),
    "error": Option("choice", _BOOLEAN),
    "label": Option("label", default=False),
    "fig-cap": Option("markdown", default=False),
    "fig-alt": Option("markdown", default=False),
    "fig-width": Option("number"),
    "fig-height": Option("number"),
    "tbl-cap": Option("markdown", default=False),
    "live": Option("choice", _BOOLEAN, default=False),  # re-run in the reader's browser when an input changes (reckon.live)
}
#: The options a page's ``execute:`` and the site's ``execute`` setting may give defaults for.
EXECUTE_KEYS = tuple(name for name, option in OPTIONS.items() if option.default)
#: The options Quarto also reads at the top level of a page's front matter (format options there).
FRONT_MATTER_KEYS = ("code-fold", "code-summary", "fig-width", "fig-height")

#: What a value may be spelled as (case does not matter): YAML's words for true and false.
_TRUE, _FALSE = {"true", "yes", "on"}, {"false", "no", "off"}
_LARGEST_FIGURE = 100.0  # inches; a figure larger than this is a typo, and would be huge
_HINTS = {
    "results": "use `output: asis`",
    "fig-caption": "the option is `fig-cap`",
    "alt": "the option is `fig-alt`",
    "caption": "the option is `fig-cap` (or `tbl-cap` for a table)",
    "tbl-caption": "the option is `tbl-cap`",
    "cache": "reckon always caches a page's results by its code",
    "freeze": "reckon always caches a page's results by its code",
    "fig-format": "figures are always SVG",
    "fig-dpi": "figures are SVG, which have no resolution",
    "message": "Python has no messages apart from output and warnings: use `output` or `warning`",
}
#: Quarto's cell options that reckon does not have: no "did you mean" that would mislead (`fig-align` is not `fig-alt`).
_QUARTO_ONLY = {
    "fig-align",
    "fig-pos",
    "fig-env",
    "fig-subcap",
    "fig-link",
    "fig-responsive",
    "fig-cap-location",
    "fig-column",
    "tbl-cap-location",
    "tbl-colwidths",
    "tbl-column",
    "tbl-subcap",
    "cap-location",
    "layout",
    "layout-ncol",
    "layout-nrow",
    "layout-align",
    "layout-valign",
    "code-overflow",
    "code-line-numbers",
    "code-copy",
    "code-tools",
    "code-link",
    "output-location",
    "column",
    "classes",
    "panel",
    "lst-label",
    "lst-cap",
    "comment",
    "prompt",
}
_OPTION_LINE = re.compile(r"^#\|(?P<space>[ \t]*)(?P<key>[^:\s]+)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
_LABEL = re.compile(r"^[A-Za-z](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$")  # as `@fig-…` references read it
_COMMENT = re.compile(r"[ \t]+#.*$")  # a YAML comment after a value that is not quoted


@dataclass(frozen=True)
class OptionText:
    """A free-text option value (it may hold inline ``{python}`` code) and where it starts."""

    text: str
    line: int
    col: int


@dataclass(frozen=True)
class BlockOptions:
    """A block's options; the defaults are those of a block with none on a page with none.

    Attributes:
        eval: Run the block (``false``: show it, never run it).
        echo: ``true``, ``false``, ``fold`` (reckon's short for ``code-fold: true``) or ``fenced``
            (the block as written, fence and options included, as Quarto shows it).
        code_fold: ``false``, ``true`` (folded) or ``show`` (folded, open at first).
        code_summary: The title of folded source.
        output: ``true``, ``false`` (nothing the block shows or draws) or ``asis`` (printed text is Markdown).
        include: ``false``: run the block, show nothing of it, neither code nor output.
        warning: Show the Python warnings the block raises.
        error: ``true``: an exception is shown in the page and is not a failure; the page goes on.
        fig_width: Width of the block's figures in inches (``None``: the default).
        fig_height: Height of the block's figures in inches (``None``: the default).
        label: ``fig-…`` (a numbered figure), ``tbl-…`` (a numbered table) or any other anchor.
        fig_cap: The figure's caption.
        fig_alt: The figure's alt text.
        tbl_cap: The table's caption.
        live: Re-run the block in the reader's browser when an input of :mod:`reckon.live` changes.
        lines: How many lines of the body the options take.
        problems: What is wrong with the options: if any, the block does not run.
    """

    eval: bool = True
    echo: str = "true"
    code_fold: str = "false"
    code_summary: str = "Source"
    output: str = "true"
    include: bool = True
    warning: bool = True
    error: bool = False
    fig_width: float | None = None
    fig_height: float | None = None
    label: str | None = None
    fig_cap: OptionText | None = None
    fig_alt: OptionText | None = None
    tbl_cap: OptionText | None = None
    live: bool = False
    lines: int = 0
    problems: tuple[Diagnostic, ...] = field(default=(), compare=False)

    @property
    def source(self) -> str:
        """How the source shows: ``hidden``, ``shown``, ``fenced``, ``folded`` or ``open`` (folded, open at first)."""
        if not self.include or self.echo == "false":
            return "hidden"
        if self.echo == "fenced":
            return "fenced"
        if self.echo == "fold" or self.code_fold == "true":
            return "folded"
        return "open" if self.code_fold == "show" else "shown"

    @property
    def shows_output(self) -> bool:
        """Whether anything the block prints, returns, draws or warns is shown."""
        return self.include and self.output != "false"


def read_value(key: str, text: str) -> tuple[Any, str | None]:
    """Read the value ``text`` (as written, unquoted) of the option ``key``.

    Returns:
        The value (``bool`` for true/false options, ``str`` for the others with choices, ``float``
        for numbers, ``str`` for labels and text) and ``None``, or ``None`` and what is wrong.
    """
    option = OPTIONS[key]
    if option.kind == "choice":
        word = text.strip().lower()
        word = "true" if word in _TRUE else "false" if word in _FALSE else word
        if word not in option.choices:
            choices = ", ".join(f"`{choice}`" for choice in option.choices)
            return None, f"`{key}: {text}` is not valid; use one of {choices}"
        if option.choices == _BOOLEAN:
            return word == "true", None
        return word, None
    if option.kind == "number":
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not 0 < number <= _LARGEST_FIGURE:
            return None, f"`{key}: {text}` is not valid; use a number of inches, more than 0 and at most {_LARGEST_FIGURE:g}"
        return number, None
    if option.kind == "label":
        if not _LABEL.match(text):
            return None, (
                f"the label `{text}` is not valid: a label is a letter, then letters, digits, - or _, not ending in - "
                "(`fig-…` for a figure, `tbl-…` for a table)"
            )
        return text, None
    return text, None


def parse_options(block: Block, path: str, defaults: Mapping[str, Any] | None = None) -> BlockOptions:
    """Read the option lines at the top of ``block``, over ``defaults`` (see :func:`read_defaults`).

    Every unknown option, unreadable line, repeated option and bad value becomes a diagnostic at
    its line; a block with any of them must not run.
    """
    values: dict[str, Any] = dict(defaults or {})
    given: set[str] = set()
    problems: list[Diagnostic] = []
    count = 0
    for text in block.body:
        if not text.startswith("#|"):
            break
        count += 1
        line = block.body_line + count - 1
        match = _OPTION_LINE.match(text)
        if match is None:
            problems.append(Diagnostic(path, line, None, f"cannot read the option line `{text}`: write `#| key: value`"))
            continue
        key, written = match["key"], match["value"]
        if key not in OPTIONS:
            problems.append(Diagnostic(path, line, block.indent_width + 3 + len(match["space"]), _unknown(key)))
            continue
        if key in given:
            problems.append(Diagnostic(path, line, None, f"the option `{key}` is given twice"))
            continue
        given.add(key)
        option = OPTIONS[key]
        if option.kind != "markdown" and written[:1] not in "\"'":
            written = _COMMENT.sub("", written)
        value, problem = read_value(key, _unquote(written))
        if problem is not None:
            problems.append(Diagnostic(path, line, None, problem))
            continue
        if option.kind == "markdown":
            column = block.indent_width + match.start("value") + 1 + (1 if written[:1] in "\"'" else 0)
            value = OptionText(value, line, column)
        values[key] = value
    return BlockOptions(**{name.replace("-", "_"): value for name, value in values.items()}, lines=count, problems=tuple(problems))


def read_defaults(mapping: Any, where: str = "execute") -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
    """Read an ``execute`` mapping of defaults (the site's setting, or a page's ``execute:``).

    Args:
        mapping: What the YAML gave.
        where: How to name the mapping in messages.

    Returns:
        The defaults (option name to value) and the problems, each with the key it is about.
    """
    if not isinstance(mapping, Mapping):
        return {}, [(None, f"`{where}` must be a mapping of options to values, like `{where}: {{echo: false}}`")]
    values: dict[str, Any] = {}
    problems: list[tuple[str | None, str]] = []
    for key, raw in mapping.items():
        problem = _default_problem(str(key), where)
        if problem is None and (isinstance(raw, (Mapping, list)) or raw is None):
            problem = f"`{where}: {key}` must be a single value"
        if problem is None:
            value, problem = read_value(str(key), _yaml_text(raw))
            if problem is None:
                values[str(key)] = value
        if problem is not None:
            problems.append((str(key), problem))
    return values, problems


def page_defaults(
    source: str, first_line: int, path: str, site: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The defaults for a page's blocks: the site's, then its front matter's, with problems at their lines.

    Args:
        source: The whole file as written.
        first_line: The file line on which the Markdown starts (after the front matter).
        path: The page's path, for messages.
        site: The site's defaults (already read with :func:`read_defaults`).
    """
    values = dict(site or {})
    if first_line <= 1 or not source.startswith("---"):
        return values, []
    import yaml  # MkDocs reads front matter with PyYAML: so does reckon

    end = source.split("\n")[: first_line - 1]
    closing = min((index for index, line in enumerate(end) if index and line.rstrip() in {"---", "..."}), default=0)
    try:
        root = yaml.compose("\n".join(end[1:closing]) + "\n", Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # MkDocs then takes none of it as front matter
        return values, []
    if not isinstance(root, yaml.MappingNode):
        return values, []
    problems: list[Diagnostic] = []
    seen: dict[str, str] = {}

    def take(key_node: Any, value_node: Any, where: str) -> None:
        key, line = str(key_node.value), key_node.start_mark.line + 2
        problem = _default_problem(key, where)
        if problem is None and not isinstance(value_node, yaml.ScalarNode):
            problem = f"`{key}` must be a single value"
        if problem is None and key in seen:
            problem = f"`{key}` is given twice" + (" (at the top level and in `execute`)" if seen[key] != where else "")
        if problem is None:
            value, problem = read_value(key, str(value_node.value))
            if problem is None:
                values[key] = value
                seen[key] = where
        if problem is not None:
            problems.append(Diagnostic(path, line, None, f"front matter: {problem}"))

    for key_node, value_node in root.value:
        if key_node.value == "execute":
            if not isinstance(value_node, yaml.MappingNode):
                message = "front matter: `execute` must be a mapping of options to values, like `execute: {echo: false}`"
                problems.append(Diagnostic(path, key_node.start_mark.line + 2, None, message))
                continue
            for inner_key, inner_value in value_node.value:
                take(inner_key, inner_value, "execute")
        elif key_node.value in FRONT_MATTER_KEYS:
            take(key_node, value_node, "top level")
    return values, problems


def _default_problem(key: str, where: str) -> str | None:
    if key in EXECUTE_KEYS:
        return None
    keys = ", ".join(f"`{name}`" for name in EXECUTE_KEYS)
    if key in OPTIONS:
        return f"`{key}` is an option of a single block (`#| {key}: …`), not a default; `{where}` takes {keys}"
    close = difflib.get_close_matches(key, EXECUTE_KEYS, n=1)
    hint = f" (did you mean `{close[0]}`?)" if close else ""
    return f"unknown option `{key}` in `{where}`{hint}; it takes {keys}"


def _yaml_text(value: Any) -> str:
    """A YAML value as it would be written after ``#|`` (PyYAML has turned ``false`` into ``False``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].replace("\\" + value[0], value[0])
    return value


def _unknown(key: str) -> str:
    known = ", ".join(f"`{name}`" for name in OPTIONS)
    hint = _HINTS.get(key)
    if hint is None and key in _QUARTO_ONLY:
        hint = "a Quarto option that reckon does not have"
    if hint is None:
        close = difflib.get_close_matches(key, OPTIONS, n=1)
        hint = f"did you mean `{close[0]}`?" if close else None
    return f"unknown option `{key}` ({hint}); the options are {known}" if hint else f"unknown option `{key}`; the options are {known}"
