"""Math with numbers: one formula, shown with symbols and with the numbers substituted, and evaluated.

The formula is a Python expression. The same expression is typeset twice and evaluated once, so
the derivation a reader sees and the number the page uses cannot drift apart::

    Formula("floor((H - k + 2*P) / S) + 1", H=16, k=3, P=2, S=3, name="H'")

renders as

    H' = ⌊(H − k + 2P)/S⌋ + 1 = ⌊(16 − 3 + 2·2)/3⌋ + 1 = 6
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from typing import Any

from .latex import latex_number

__all__ = ["Formula"]

_FUNCTIONS: dict[str, Any] = {
    "floor": math.floor,
    "ceil": math.ceil,
    "sqrt": math.sqrt,
    "abs": abs,
    "min": min,
    "max": max,
    "log": math.log,
    "exp": math.exp,
}
_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
    "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
}  # fmt: skip
# Binding strength: higher binds tighter.
_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.FloorDiv: 2, ast.Mod: 2, ast.Pow: 4}
_ATOM = 5


class Formula:
    """A formula given as a Python expression, with values for its names.

    Args:
        expression: A Python expression over the names in ``values``; it may use ``floor``, ``ceil``,
            ``sqrt``, ``abs``, ``min``, ``max``, ``log``, ``exp``, ``//`` and ``**``.
        name: What the formula computes, shown on the left (LaTeX, e.g. ``"H'"``).
        symbols: LaTeX for names that need more than the default (``{"H_in": "H_{\\text{in}}"}``).
        **values: The value of every name in the expression.

    Attributes:
        value: The formula's value, computed from ``expression`` and ``values``.

    Raises:
        ValueError: The expression uses a name without a value, or a construct it cannot typeset.
    """

    def __init__(self, expression: str, /, name: str | None = None, symbols: Mapping[str, str] | None = None, **values: Any) -> None:
        self.expression = expression
        self.name = name
        self.symbols = dict(symbols or {})
        self.values = values
        tree = ast.parse(expression.strip(), mode="eval")
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} - set(_FUNCTIONS)
        missing = sorted(names - set(values))
        if missing:
            raise ValueError(f"Formula {expression!r}: no value for {', '.join(missing)}")
        self._tree = tree.body
        self.value = eval(compile(tree, "<formula>", "eval"), {"__builtins__": {}, **_FUNCTIONS}, dict(values))

    @property
    def symbolic(self) -> str:
        """The formula in LaTeX, with symbols."""
        return _Typesetter(self.symbols, None).latex(self._tree)

    @property
    def substituted(self) -> str:
        """The formula in LaTeX, with the numbers in place of the symbols."""
        return _Typesetter(self.symbols, self.values).latex(self._tree)

    def latex(self) -> str:
        """``name = symbolic = substituted = value`` (steps that read the same are left out)."""
        steps = [self.symbolic, self.substituted, _number(self.value)]
        shown: list[str] = []
        for step in steps:
            if not shown or shown[-1] != step:
                shown.append(step)
        if self.name:
            shown.insert(0, self.name)
        return " = ".join(shown)

    def _repr_markdown_(self) -> str:
        return f"$$\n{self.latex()}\n$$"

    def __repr__(self) -> str:
        return f"Formula({self.expression!r}) = {self.value!r}"


def _number(value: Any) -> str:
    """A number in a formula: thousands grouped with ``{,}``, fractions as ``\\tfrac``."""
    return latex_number(value, group_thousands=True)


class _Typesetter:
    """LaTeX for an expression tree, with symbols or (given ``values``) with numbers."""

    def __init__(self, symbols: dict[str, str], values: Mapping[str, Any] | None) -> None:
        self.symbols = symbols
        self.values = values

    def latex(self, node: ast.expr) -> str:
        return self._latex(node)[0]

    def _latex(self, node: ast.expr) -> tuple[str, int]:
        """LaTeX for ``node`` and how tightly it binds."""
        if isinstance(node, ast.Constant):
            return _number(node.value), (_ATOM if not _negative(node.value) else 0)
        if isinstance(node, ast.Name):
            if self.values is not None:
                value = self.values[node.id]
                return _number(value), (_ATOM if not _negative(value) else 0)
            return self._symbol(node.id), _ATOM
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self._wrapped(node.operand, 3)
            return ("-" if isinstance(node.op, ast.USub) else "+") + operand, 3
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            return self._call(node.func.id, node.args), _ATOM
        raise ValueError(f"Formula cannot typeset {ast.unparse(node)!r}")

    def _binary(self, node: ast.BinOp) -> tuple[str, int]:
        kind = type(node.op)
        if kind is ast.Div:
            return f"\\frac{{{self.latex(node.left)}}}{{{self.latex(node.right)}}}", _ATOM
        if kind is ast.FloorDiv:
            return f"\\left\\lfloor \\frac{{{self.latex(node.left)}}}{{{self.latex(node.right)}}} \\right\\rfloor", _ATOM
        precedence = _PRECEDENCE.get(kind)
        if precedence is None:
            raise ValueError(f"Formula cannot typeset the operator in {ast.unparse(node)!r}")
        if kind is ast.Pow:
            base, binding = self._latex(node.left)
            # A base shows its own extent only if it is a plain symbol or number, or a function
            # with its own delimiters; (a/b)^2 needs its parentheses even though \frac is atomic.
            delimited = isinstance(node.left, (ast.Name, ast.Constant)) or (
                isinstance(node.left, ast.Call) and getattr(node.left.func, "id", "") in {"floor", "ceil", "abs"}
            )
            if not delimited or binding < _ATOM:
                base = f"\\left( {base} \\right)"
            return f"{{{base}}}^{{{self.latex(node.right)}}}", precedence
        left = self._wrapped(node.left, precedence)
        right = self._wrapped(node.right, precedence + (0 if kind in (ast.Add, ast.Mult) else 1))
        if kind is ast.Mult:
            return self._product(node, left, right), precedence
        operator = {ast.Add: "+", ast.Sub: "-", ast.Mod: "\\bmod"}[kind]
        return f"{left} {operator} {right}", precedence

    def _product(self, node: ast.BinOp, left: str, right: str) -> str:
        if self.values is not None:
            return f"{left} \\times {right}"
        if isinstance(node.left, ast.Constant) and isinstance(node.right, (ast.Name, ast.Call)):
            return f"{left}{right}"  # 2P, 2\sqrt{x}
        return f"{left} \\cdot {right}"

    def _wrapped(self, node: ast.expr, needed: int) -> str:
        text, binding = self._latex(node)
        return text if binding >= needed else f"\\left( {text} \\right)"

    def _call(self, name: str, arguments: list[ast.expr]) -> str:
        inner = ", ".join(self.latex(argument) for argument in arguments)
        if name == "floor":
            return f"\\left\\lfloor {inner} \\right\\rfloor"
        if name == "ceil":
            return f"\\left\\lceil {inner} \\right\\rceil"
        if name == "sqrt":
            return f"\\sqrt{{{inner}}}"
        if name == "abs":
            return f"\\left| {inner} \\right|"
        if name in {"min", "max", "log", "exp"}:
            return f"\\{name}\\left( {inner} \\right)"
        raise ValueError(f"Formula cannot typeset the function {name!r}")

    def _symbol(self, name: str) -> str:
        if name in self.symbols:
            return self.symbols[name]
        base, _, subscript = name.partition("_")
        base = f"\\{base}" if base in _GREEK else (base if len(base) == 1 else f"\\mathrm{{{base}}}")
        if subscript:
            subscript = subscript if len(subscript) == 1 or subscript.isdigit() else f"\\mathrm{{{subscript}}}"
            return f"{base}_{{{subscript}}}"
        return base


def _negative(value: Any) -> bool:
    try:
        return bool(value < 0)
    except TypeError:
        return False
