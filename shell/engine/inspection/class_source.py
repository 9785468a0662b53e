"""Where a class typed in a cell is defined: its cell and its source lines.

``inspect.getsource(cls)`` looks for a class in the file of its module, and
the session's ``__main__`` has none (``OSError: source code not available``),
or has the wrong one when hocus is embedded in a script. The cells are in
:mod:`linecache`, so :func:`find_class_source` looks there instead: first in
the cells its methods were compiled in, then, for a class without methods,
in the session's cells from the newest back.
"""

from __future__ import annotations

import ast
import linecache
import re
import types
from typing import Iterable

# Lines of IPython syntax that a cell may keep as typed (``%time f()``, ``!ls``,
# ``obj?``, ``x = !cmd``): blanked so the rest of the cell parses.
_ESCAPED_LINE = re.compile(r"^\s*(?:[%!?]|\w+\s*=\s*[%!])|\?\s*$")


def find_class_source(cls: type, cells_newest_first: Iterable[str]) -> tuple[str, str] | None:
    """``(source, filename)`` of ``cls``'s ``class`` statement in a cell, or None."""
    qualname = getattr(cls, "__qualname__", "")
    if not isinstance(qualname, str) or "<locals>" in qualname:
        return None
    cells = list(cells_newest_first)
    method_lines = _method_lines(cls)
    candidates = [name for name in method_lines if name in cells] or cells
    for filename in candidates:
        lines = linecache.getlines(filename)
        tree = parse_cell_text(lines)
        if tree is None:
            continue
        node = _pick(_class_statements(tree.body, qualname.split(".")), method_lines.get(filename, ()),
                     getattr(cls, "__firstlineno__", None))
        if node is not None:
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            return "".join(lines[start - 1:node.end_lineno]).rstrip("\n"), filename
    return None


def _method_lines(cls: type) -> dict[str, list[int]]:
    """First lines of the functions defined in ``cls``'s own body, by filename."""
    found: dict[str, list[int]] = {}
    for value in vars(cls).values():
        if isinstance(value, (classmethod, staticmethod)):
            value = value.__func__
        elif isinstance(value, property):
            value = value.fget
        if isinstance(value, types.FunctionType) and value.__qualname__.startswith(cls.__qualname__ + "."):
            code = value.__code__
            found.setdefault(code.co_filename, []).append(code.co_firstlineno)
    return found


def parse_cell_text(lines: list[str]) -> ast.Module | None:
    """The AST of a cell's (or file's) lines, lines of IPython syntax blanked; None if it does not parse."""
    if not lines:
        return None
    try:
        return ast.parse("".join(lines))
    except (SyntaxError, ValueError):
        pass
    try:
        return ast.parse("".join("\n" if _ESCAPED_LINE.search(line) else line for line in lines))
    except (SyntaxError, ValueError):
        return None


def _class_statements(body: list[ast.stmt], path: list[str]) -> list[ast.ClassDef]:
    """The ``class`` statements that define ``path`` (a qualname's parts) in ``body``."""
    found = []
    for node in body:
        if isinstance(node, ast.ClassDef) and node.name == path[0]:
            found.extend([node] if len(path) == 1 else _class_statements(node.body, path[1:]))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue  # another scope: its classes have another qualname
        else:  # if/try/with/for blocks at this level define classes at this level
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    statements = [s for item in inner for s in (item.body if isinstance(item, ast.ExceptHandler) else [item])]
                    found.extend(_class_statements(statements, path))
    return found


def _pick(nodes: list[ast.ClassDef], method_lines: Iterable[int], first_line: int | None) -> ast.ClassDef | None:
    """The statement that made the class: the one holding its methods, else the last one."""
    for node in reversed(nodes):
        start = min([node.lineno] + [d.lineno for d in node.decorator_list])
        if first_line is not None and start == first_line:
            return node
        if any(node.lineno <= line <= (node.end_lineno or node.lineno) for line in method_lines):
            return node
    if first_line is None and not any(True for _ in method_lines) and nodes:
        return nodes[-1]
    return None
