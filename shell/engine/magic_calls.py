"""IPython's magic API on :class:`~shell.engine.shell.Shell`: ``run_line_magic``, ``register_magics``...

:class:`MagicCalls` is mixed into the Shell: each method is a line over the
shell's :class:`~magics.registry.MagicRegistry` and
:class:`~shell.engine.magic_runner.MagicRunner`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from magics.registry import MagicRegistry
    from shell.engine.magic_runner import MagicRunner


class MagicCalls:
    """Running, registering and finding magics, as IPython's shell offers it."""

    magics: MagicRegistry
    magic_runner: MagicRunner

    def run_line_magic(self, magic_name: str, line: str, _stack_depth: int = 1) -> Any:
        """Run ``%magic_name line`` and return its value (IPython's API)."""
        return self.magic_runner.run_line(magic_name, line, sys._getframe(_stack_depth).f_locals)

    def run_cell_magic(self, magic_name: str, line: str, cell: str, _stack_depth: int = 1) -> Any:
        """Run ``%%magic_name line`` over ``cell`` and return its value."""
        return self.magic_runner.run_cell(magic_name, line, cell, sys._getframe(_stack_depth).f_locals)

    def register_magic_function(self, func: Callable, magic_kind: str = "line", magic_name: str | None = None) -> None:
        """Make ``func`` a magic: ``magic_kind`` is 'line', 'cell' or 'line_cell'."""
        self.magics.register_function(func, magic_kind, magic_name)

    def register_magics(self, *magics: Any) -> None:
        """Register Magics classes or instances."""
        for each in magics:
            self.magics.register_magics(each)

    def find_magic(self, name: str, kind: str = "line") -> Callable | None:
        magic = self.magics.get(kind, name)
        return magic.func if magic else None

    def find_line_magic(self, name: str) -> Callable | None:
        return self.find_magic(name, "line")

    def find_cell_magic(self, name: str) -> Callable | None:
        return self.find_magic(name, "cell")

    def loaded_extensions(self) -> set[str]:
        """Names of the extensions ``%load_ext`` has loaded in this session."""
        load_ext = self.magics.find("line", "load_ext").func  # a method of ExtensionMagics
        return set(load_ext.__self__.loaded)  # type: ignore[attr-defined]
