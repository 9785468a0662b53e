"""Which names the user took from which module with ``from module import ...``.

Usage::

    imports = FromImports()
    imports.note("from geometry import area as a, Point")
    imports.of("geometry")      # {"area": {"a"}, "Point": {"Point"}}
    imports.of("other")         # None: never from-imported

``%autoreload complete`` uses it to decide where a reloaded module's names
go: a name the module gained reaches the user's namespace only if the user
star-imported the module or never picked names from it, and a name the user
from-imported under an alias is updated under that alias. The latest import
of a user name wins, as Python's own binding does.
"""

from __future__ import annotations

import ast


class FromImports:
    """module -> original name -> the names it is bound to in the user's namespace."""

    def __init__(self) -> None:
        self._by_module: dict[str, dict[str, set[str]]] = {}

    def note(self, source: str) -> None:
        """Record the ``from ... import`` statements of a cell that ran (plain Python)."""
        if "import" not in source:
            return
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self._bind(node.module, alias.name, alias.asname or alias.name)

    def of(self, module: str) -> dict[str, set[str]] | None:
        """What was from-imported from ``module`` (``"*"`` for a star import); None if nothing."""
        return self._by_module.get(module)

    def _bind(self, module: str, original: str, user_name: str) -> None:
        if original != "*":
            for names in self._by_module.values():  # the user name now means this import only
                for bound in names.values():
                    bound.discard(user_name)
        self._by_module.setdefault(module, {}).setdefault(original, set()).add(user_name)
