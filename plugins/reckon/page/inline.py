"""Split inline code into an expression and, for a checked claim, the literal the page states."""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass

__all__ = ["InlineSplit", "split_inline"]


@dataclass(frozen=True)
class InlineSplit:
    """Inline code read as ``expression`` or ``expression = literal``.

    Attributes:
        expression: The Python expression to evaluate.
        literal: The literal as written after the ``=``, or ``None`` for a plain inline value.
        literal_offset: Where the literal starts in the inline code (for its column).
    """

    expression: str
    literal: str | None = None
    literal_offset: int = 0


def split_inline(code: str) -> InlineSplit:
    """Read ``{python}`` inline code.

    A whole that compiles as an expression is an inline value (so ``f(a=1)`` is not a claim).
    Otherwise the first ``=`` outside brackets and strings that is not part of ``==``, ``<=``,
    ``>=``, ``!=`` or ``:=`` splits a claim; what is left of it is the expression.
    """
    if "=" not in code:  # no claim without an `=`: skip compiling (most inline code is a plain value)
        return InlineSplit(code)
    try:
        compile(code, "<inline>", "eval", ast.PyCF_ONLY_AST)  # the syntax tree is enough to know it compiles
        return InlineSplit(code)
    except SyntaxError:
        pass
    position = _top_level_equals(code)
    if position is None:
        return InlineSplit(code)
    literal = code[position + 1 :]
    return InlineSplit(code[:position].strip(), literal.strip(), position + 1 + len(literal) - len(literal.lstrip()))


def _top_level_equals(code: str) -> int | None:
    depth = 0
    line_starts = [0]
    for line in code.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type != tokenize.OP:
                continue
            if token.string in "([{":
                depth += 1
            elif token.string in ")]}":
                depth -= 1
            elif token.string == "=" and depth == 0:
                row, column = token.start
                return line_starts[row - 1] + column
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return None
