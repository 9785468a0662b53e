"""The base class for magics that share state.

Subclass :class:`Magics`, mark methods with ``@line_magic``/``@cell_magic``/
``@line_cell_magic``, and register the class with a shell
(``shell.register_magics(MyMagics)``) or ship it in an extension. The shell
creates one instance per registry and passes itself; use it only through the
surface described in :mod:`magics.surface`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from magics.surface import ShellSurface


class Magics:
    """A group of magics with shared state, bound to the shell they work for."""

    def __init__(self, shell: ShellSurface):
        self.shell: ShellSurface = shell
