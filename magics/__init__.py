"""The magics registry and the API for writing magics.

Usage::

    from magics import Magics, line_magic, cell_magic, magic_arguments, argument, parse_argstring

    class MyMagics(Magics):
        @line_magic
        def shout(self, line):
            '''Print the line in capitals.'''
            self.shell.write(line.upper() + "\\n")

    def load_hocus_extension(shell):       # %load_ext my_module
        shell.register_magics(MyMagics)

The registry itself (:class:`MagicRegistry`) never imports the shell; a
magic uses its shell through :class:`ShellSurface`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from magics.arguments import argument, magic_arguments, parse_argstring, rest
    from magics.base import Magics
    from magics.completion import BodyCompletion, completer_for
    from magics.decorators import (cell_magic, expand_vars, line_cell_magic, line_magic, needs_local_scope,
                                   no_var_expand, output_can_be_silenced)
    from magics.errors import MagicArgumentError, MagicLoadError, MagicNotFound, UsageError
    from magics.registry import Magic, MagicRegistry
    from magics.surface import ShellSurface

# The shell imports this package at start-up for its registry alone; the API for writing
# magics (argparse-based arguments, the Magics base, the surface Protocol) loads on first use.
_EXPORTS = {
    **dict.fromkeys(("argument", "magic_arguments", "parse_argstring", "rest"), "magics.arguments"),
    "Magics": "magics.base",
    **dict.fromkeys(("BodyCompletion", "completer_for"), "magics.completion"),
    **dict.fromkeys(("cell_magic", "expand_vars", "line_cell_magic", "line_magic", "needs_local_scope",
                     "no_var_expand", "output_can_be_silenced"), "magics.decorators"),
    **dict.fromkeys(("MagicArgumentError", "MagicLoadError", "MagicNotFound", "UsageError"), "magics.errors"),
    **dict.fromkeys(("Magic", "MagicRegistry"), "magics.registry"),
    "ShellSurface": "magics.surface",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'magics' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # once imported, a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


_C = TypeVar("_C", bound=type)


def magics_class(cls: _C) -> _C:
    """Accepted for IPython compatibility; hocus finds marked methods without it."""
    return cls


__all__ = [
    "BodyCompletion", "Magic", "MagicArgumentError", "MagicLoadError", "MagicNotFound", "MagicRegistry", "Magics",
    "ShellSurface", "UsageError", "argument", "cell_magic", "completer_for", "expand_vars", "line_cell_magic",
    "line_magic", "magic_arguments", "magics_class", "needs_local_scope", "no_var_expand", "output_can_be_silenced",
    "parse_argstring", "rest",
]
