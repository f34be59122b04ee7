"""What may be live, read from the code without running it.

A live block re-runs in the reader's browser, in Pyodide, offline: there is the standard library,
reckon's own pure-Python modules, and whatever pure-Python modules of this site the page ships with
it; there is no NumPy and no installed package. So, for each live block, this module finds:

- the inputs it declares (``H = live.number(205, min=1)``), whose arguments must be literals;
- the modules it imports, each classified, with the local ones' own imports followed to the end,
  and a reason, at its line, for any that cannot run in the browser;
- the names it binds and the names it reads from earlier blocks (which must be live too).
"""

from __future__ import annotations

import ast
import builtins
import importlib.machinery
import os
import symtable
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import Input

__all__ = [
    "BROWSER_MISSING",
    "RUNTIME_PACKAGE",
    "Declaration",
    "ImportProblem",
    "ModuleClosure",
    "bound_names",
    "declared_inputs",
    "expression_names",
    "module_closure",
    "read_names",
]

#: reckon itself: the browser's runtime ships the pure part of it (see ``payload.RUNTIME_MODULES``).
RUNTIME_PACKAGE = "reckon"
#: Standard-library modules that Pyodide does not load without fetching more (or cannot run at all).
BROWSER_MISSING = frozenset({"ssl", "sqlite3", "lzma", "tkinter", "turtle", "curses", "readline", "dbm", "multiprocessing", "venv"})
_BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class Declaration:
    """``name = live.kind(...)``: an input, the name it sets, and the line it is declared on."""

    name: str
    spec: Input
    line: int


@dataclass(frozen=True)
class ImportProblem:
    """An import a live block cannot make in the browser, at its line in the page."""

    line: int
    col: int
    message: str


@dataclass
class ModuleClosure:
    """The local modules a live block needs in the browser, and what it cannot have.

    Attributes:
        modules: Source by path relative to the import root (``cnnmath/output_size.py``).
        problems: Imports that cannot run in the browser.
    """

    modules: dict[str, str] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)


class DeclarationError(ValueError):
    """An input declaration that cannot be read without running the code; ``line`` is in the page."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _parse(code: str, first_line: int) -> ast.Module:
    return ast.parse("\n" * (first_line - 1) + code)


def _is_live_call(node: ast.AST) -> str | None:
    """``number``/``text`` for a call ``live.number(...)``/``live.text(...)``, else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("number", "text"):
        target = node.func.value
        if (isinstance(target, ast.Name) and target.id == "live") or (
            isinstance(target, ast.Attribute)
            and target.attr == "live"
            and isinstance(target.value, ast.Name)
            and target.value.id == "reckon"
        ):
            return node.func.attr
    return None


def declared_inputs(code: str, first_line: int) -> list[Declaration]:
    """The inputs a block declares, in order.

    Raises:
        SyntaxError: The block does not parse (the page run reports it).
        DeclarationError: A ``live.*`` call that is not a statement ``name = live.kind(literals)``.
    """
    tree = _parse(code, first_line)
    declarations: list[Declaration] = []
    top_level: set[int] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and _is_live_call(statement.value):
            call = statement.value
            assert isinstance(call, ast.Call)
            top_level.add(id(call))
            if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
                raise DeclarationError(statement.lineno, "an input is declared as `name = live.number(...)`, one name per input")
            declarations.append(Declaration(statement.targets[0].id, _spec(call), statement.lineno))
    for node in ast.walk(tree):
        kind = _is_live_call(node)
        if kind and id(node) not in top_level:
            assert isinstance(node, ast.Call)
            raise DeclarationError(
                node.lineno,
                f"`live.{kind}(...)` must stand alone as `name = live.{kind}(...)` at the top of the block, so the page can show the input",
            )
    return declarations


def _spec(call: ast.Call) -> Input:
    kind = _is_live_call(call)
    assert kind is not None
    try:
        arguments = [ast.literal_eval(argument) for argument in call.args]
        keywords = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    except ValueError:
        raise DeclarationError(
            call.lineno, f"the arguments of `live.{kind}(...)` must be written out as values (numbers, strings)"
        ) from None
    allowed = {"label"} | ({"min", "max"} if kind == "number" else set())
    unknown = sorted(str(name) for name in keywords if name not in allowed)
    if unknown or len(arguments) != 1:
        wanted = "live.number(default, min=..., max=..., label=...)" if kind == "number" else "live.text(default, label=...)"
        raise DeclarationError(call.lineno, f"write `{wanted}`" + (f"; `{unknown[0]}` is not one of its options" if unknown else ""))
    default = arguments[0]
    label = keywords.get("label", "")
    if not isinstance(label, str):
        raise DeclarationError(call.lineno, "the `label` of an input is a string")
    if kind == "number":
        if isinstance(default, bool) or not isinstance(default, (int, float)):
            raise DeclarationError(call.lineno, f"`live.number` needs a number as its default, not {default!r}")
        low, high = keywords.get("min"), keywords.get("max")
        for limit in (low, high):
            if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, float))):
                raise DeclarationError(call.lineno, f"`min` and `max` are numbers, not {limit!r}")
        return Input("number", default, label, low, high)
    if not isinstance(default, str):
        raise DeclarationError(call.lineno, f"`live.text` needs a string as its default, not {default!r}")
    return Input("text", default, label)


# -- names ------------------------------------------------------------------------------------


def bound_names(code: str) -> set[str]:
    """The module-level names a block binds (assignments, imports, definitions, loop targets)."""
    table = symtable.symtable(code, "<block>", "exec")
    return {symbol.get_name() for symbol in table.get_symbols() if symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace()}


def read_names(code: str) -> set[str]:
    """The module-level names a block reads that it may not bind itself first (nor builtins).

    Functions and classes count too: a name their bodies read as a global must exist when they run.
    """
    table = symtable.symtable(code, "<block>", "exec")
    bound = bound_names(code)
    names = {symbol.get_name() for symbol in table.get_symbols() if symbol.is_referenced() and symbol.get_name() not in bound}
    stack = list(table.get_children())
    while stack:
        child = stack.pop()
        stack.extend(child.get_children())
        for symbol in child.get_symbols():
            if symbol.is_global() and symbol.is_referenced() and symbol.get_name() not in bound:
                names.add(symbol.get_name())
    return names - _BUILTINS


def expression_names(expression: str) -> set[str] | None:
    """The free names of an inline expression (``None``: it does not parse)."""
    try:
        table = symtable.symtable(expression.strip(), "<inline>", "eval")
    except SyntaxError:
        return None
    names = {symbol.get_name() for symbol in table.get_symbols() if symbol.is_referenced()}
    stack = list(table.get_children())
    while stack:
        child = stack.pop()
        stack.extend(child.get_children())
        names |= {symbol.get_name() for symbol in child.get_symbols() if symbol.is_global() and symbol.is_referenced()}
    return names - _BUILTINS


# -- imports ----------------------------------------------------------------------------------


def module_closure(code: str, first_line: int, search_path: list[str], project_dir: Path) -> ModuleClosure:
    """The local modules a live block imports, with theirs, and the imports that cannot be live.

    Args:
        code: The block's code.
        first_line: The page line of its first line.
        search_path: Where its imports are found, in order (the page's folder, then ``sys.path``).
        project_dir: The site's folder (messages name files relative to it). A module is local if
            its file is source, not in an environment's installed packages (a venv inside the
            site's folder included); an editable install is source.
    """
    closure = ModuleClosure()
    finder = _Finder(search_path, project_dir)
    refused: set[int] = set()
    for node, name in _imports(_parse(code, first_line), None):
        refusal = finder.need(name, closure.modules)
        if refusal is not None and id(node) not in refused:  # one reason per import statement
            refused.add(id(node))
            closure.problems.append(ImportProblem(node.lineno, node.col_offset + 1, refusal.message()))
    return closure


_WHERE = (
    "a live block re-runs in the reader's browser (Pyodide, offline), "
    "which has only the standard library and this site's pure-Python modules"
)


@dataclass(frozen=True)
class _Refusal:
    """Why ``module`` cannot be live; ``via`` is the chain of local imports that led to it."""

    module: str
    why: str
    via: tuple[str, ...] = ()

    def message(self) -> str:
        if not self.via:
            return f"`{self.module}` {self.why}: {_WHERE}"
        chain = "".join(f"{step}, which imports " for step in self.via)
        return f"{chain}`{self.module}`, which {self.why}: {_WHERE}"


def _imports(tree: ast.AST, package: str | None) -> list[tuple[ast.Import | ast.ImportFrom, str]]:
    """Every ``(statement, module)`` imported anywhere in ``tree``, outside ``if TYPE_CHECKING:``.

    ``from a import b`` yields ``a`` and also ``a.b`` (marked by a trailing ``?``: it may be a name).
    """
    found: list[tuple[ast.Import | ast.ImportFrom, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                if package is None:
                    return  # a relative import in a page's block fails when it runs
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            if base != "__future__":
                found.append((node, base))
                found.extend((node, f"{base}.{alias.name}?") for alias in node.names if alias.name != "*")
        for inner in ast.iter_child_nodes(node):
            visit(inner)

    visit(tree)
    return found


class _Finder:
    """Finds modules by name without importing them, and decides which may run in the browser."""

    def __init__(self, search_path: list[str], project_dir: Path) -> None:
        self.search_path = search_path
        self.project_dir = project_dir.resolve()
        self.installed = {Path(path).resolve() for path in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
        self.verdicts: dict[str, str | None] = {}

    def need(self, name: str, modules: dict[str, str]) -> _Refusal | None:
        """Add ``name`` and what it imports to ``modules``; why it cannot be live, or None."""
        optional = name.endswith("?")
        name = name.rstrip("?")
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top in sys.builtin_module_names:
            return (
                _Refusal(top, "is in the standard library but not in Pyodide's without downloading more")
                if top in BROWSER_MISSING
                else None
            )
        if top == RUNTIME_PACKAGE:
            from .payload import RUNTIME_MODULES

            if name in RUNTIME_MODULES or optional:  # ``from reckon.x import y``: ``reckon.x`` is checked itself
                return None
            return _Refusal(name, "is the part of reckon that runs the build (a live block may use `reckon.live`, `Table` and `Formula`)")
        located = self.locate(name)
        if located is None:
            return None if optional else _Refusal(name, "cannot be found from this page")
        path, root = located
        relative = path.relative_to(root).as_posix()
        if relative in modules:
            return None
        if path.suffix != ".py":
            return _Refusal(name, f"is compiled code ({path.name}), not pure Python")
        if not self.is_local(path):
            return _Refusal(top, "is an installed package, not a module of this site")
        modules[relative] = path.read_text(encoding="utf-8")
        parent = name.rpartition(".")[0]
        if parent and (refusal := self.need(parent, modules)) is not None:
            return refusal
        package = name if path.name == "__init__.py" else parent
        for node, imported in _imports(ast.parse(modules[relative]), package or None):
            refusal = self.need(imported, modules)
            if refusal is not None:
                step = f"`{name}` ({self._shown(path)}:{node.lineno})"
                return _Refusal(refusal.module, refusal.why, (step, *refusal.via))
        return None

    def locate(self, name: str) -> tuple[Path, Path] | None:
        """The file of module ``name`` and the folder its top-level package is found in."""
        parts = name.split(".")
        spec = importlib.machinery.PathFinder.find_spec(parts[0], self.search_path)
        if spec is None or spec.origin in (None, "built-in", "frozen"):
            return None
        origin = Path(spec.origin)
        root = origin.parent.parent if origin.name == "__init__.py" else origin.parent
        for depth in range(1, len(parts)):
            locations = spec.submodule_search_locations
            if locations is None:
                return None
            spec = importlib.machinery.PathFinder.find_spec(".".join(parts[: depth + 1]), list(locations))
            if spec is None or spec.origin is None:
                return None
        return Path(str(spec.origin)), root

    def is_local(self, path: Path) -> bool:
        """Source the site's authors have: not an environment's installed package (an editable install is source)."""
        resolved = path.resolve()
        if {"site-packages", "dist-packages"} & set(resolved.parts):
            return False
        return resolved.is_relative_to(self.project_dir) or not any(resolved.is_relative_to(prefix) for prefix in self.installed)

    def _shown(self, path: Path) -> str:
        try:
            return os.path.relpath(path, self.project_dir).replace(os.sep, "/")
        except ValueError:
            return str(path)
