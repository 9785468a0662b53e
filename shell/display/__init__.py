"""Rich display for code running in hocus, with IPython's names.

Usage, in a cell or in library code::

    from shell.display import display, HTML, Markdown, Image
    display(HTML("<b>bold</b>"), Markdown("*it*"))
    handle = display(Markdown("step 1"), display_id=True)
    handle.update(Markdown("step 2"))

``display()`` finds the shell running the current cell through a context
variable the engine sets for the duration of ``run_cell``
(:data:`shell.engine.display.displayer.current_displayer`); outside any cell it prints
``text/plain``. The objects only implement ``_repr_*_`` methods, so they
render in any front end that follows IPython's display protocol.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shell.display._functions import clear_output, display, update_display
    from shell.display._objects import (HTML, JSON, SVG, Code, DisplayObject, FileLink, Image, Javascript, Latex,
                                        Markdown, Math, Pretty, TextDisplayObject)

# The kernel imports this package at start-up for its figure settings (figures.py) alone;
# the functions and objects load when a cell first uses one.
_FUNCTIONS = ("display", "update_display", "clear_output")


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'shell.display' has no attribute {name!r}")
    module = importlib.import_module("shell.display._functions" if name in _FUNCTIONS else "shell.display._objects")
    value = getattr(module, name)
    globals()[name] = value  # once imported, a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "display", "update_display", "clear_output",
    "DisplayObject", "TextDisplayObject",
    "HTML", "Markdown", "Latex", "Math", "SVG", "Image", "JSON", "Javascript", "Code", "Pretty", "FileLink",
]
