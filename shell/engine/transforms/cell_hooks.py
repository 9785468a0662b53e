"""Transforms that code outside hocus adds to every cell, with IPython's names and contracts.

``shell.input_transformers_cleanup`` and ``shell.input_transformers_post``
hold functions from a list of lines (each ending in a newline) to a list of
lines: the first run on the raw cell before hocus's own input transforms,
the second on the plain Python after them. ``shell.ast_transformers`` holds
``ast.NodeTransformer`` instances applied to each cell's tree before it is
compiled. Extensions written for IPython register themselves there, and so
can anyone using hocus's API.

A transformer that raises is removed with a one-line warning (as IPython
does), so one broken extension does not break every later cell.
"""

from __future__ import annotations

import ast
from typing import Any, Callable


def apply_line_transformers(transformers: list[Callable[[list[str]], list[str]]], source: str) -> str:
    """``source`` after each line transformer in turn; an error propagates (the cell fails)."""
    if not source.endswith("\n"):
        source += "\n"  # every line ends in a newline, as IPython promises its transformers
    lines = source.splitlines(keepends=True)
    for transformer in list(transformers):
        lines = transformer(lines)
    return "".join(lines)


def apply_ast_transformers(transformers: list[Any], tree: ast.Module, warn: Callable[[str], None]) -> ast.Module:
    """The tree after each ``NodeTransformer``; a failing one is unregistered with a warning."""
    for transformer in list(transformers):
        try:
            changed = transformer.visit(tree)
            if not isinstance(changed, ast.Module):
                raise TypeError(f"it returned {type(changed).__name__}, not an ast.Module")
        except Exception as err:  # noqa: BLE001 - one broken transformer must not break every cell
            warn(f"Warning: AST transformer {transformer!r} failed ({type(err).__name__}: {err}); "
                 "it is unregistered.\n")
            transformers.remove(transformer)
        else:
            tree = ast.fix_missing_locations(changed)
    return tree
