"""Calling magics from the engine: lookup, ``$var`` expansion, local scope.

The registry (in :mod:`magics`) knows what exists; this module knows how the
engine calls it: it expands ``$name``/``{expr}`` for magics marked
``@expand_vars``, passes ``local_ns`` to magics marked
``@needs_local_scope``, returns nothing from magics marked
``@output_can_be_silenced`` whose code ends with ``;``, and lets
:class:`~magics.errors.UsageError` travel up to ``run_cell``, which prints
it as one line.
"""

from __future__ import annotations

import ast
from collections import ChainMap
from typing import TYPE_CHECKING, Any

from magics.registry import Magic, MagicRegistry
from shell.engine.execution import ends_with_semicolon

if TYPE_CHECKING:
    from shell.engine.shell import Shell


class MagicRunner:
    """Runs line and cell magics of one registry on behalf of one shell."""

    def __init__(self, shell: "Shell", registry: MagicRegistry):
        self.shell = shell
        self.registry = registry

    def run_line(self, name: str, line: str, local_ns: dict[str, Any] | None = None) -> Any:
        __tracebackhide__ = True
        magic = self.registry.find("line", name)
        line = self._expanded(magic, line, local_ns)
        if magic.needs_local_scope:
            value = magic.func(line, local_ns=local_ns if local_ns is not self.shell.user_ns else None)
        else:
            value = magic.func(line)
        return None if magic.output_can_be_silenced and self._silenced(line) else value

    def run_cell(self, name: str, line: str, cell: str, local_ns: dict[str, Any] | None = None) -> Any:
        __tracebackhide__ = True
        magic = self.registry.find("cell", name)
        line = self._expanded(magic, line, local_ns)
        if magic.needs_local_scope:
            value = magic.func(line, cell, local_ns=local_ns if local_ns is not self.shell.user_ns else None)
        else:
            value = magic.func(line, cell)
        return None if magic.output_can_be_silenced and self._silenced(cell) else value

    def _silenced(self, code: str) -> bool:
        """Whether the Python ``code`` a magic ran ends with ``;`` (``%time f();``)."""
        if ";" not in code:
            return False
        source = self.shell.transform_cell(code)
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return False
        return ends_with_semicolon(source, tree)

    def _expanded(self, magic: Magic, line: str, local_ns: dict[str, Any] | None) -> str:
        if not magic.expands_vars:
            return line
        from shell.engine.transforms.expansion import expand  # loaded by the first magic that expands

        namespace = ChainMap(local_ns, self.shell.user_ns) if local_ns is not None else self.shell.user_ns
        return expand(line, namespace)
