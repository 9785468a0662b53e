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

from shell.display._functions import clear_output, display, update_display
from shell.display._objects import (HTML, JSON, SVG, Code, DisplayObject, FileLink, Image, Javascript, Latex,
                                    Markdown, Math, Pretty, TextDisplayObject)

__all__ = [
    "display", "update_display", "clear_output",
    "DisplayObject", "TextDisplayObject",
    "HTML", "Markdown", "Latex", "Math", "SVG", "Image", "JSON", "Javascript", "Code", "Pretty", "FileLink",
]
