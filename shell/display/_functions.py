"""``display``, ``update_display`` and ``clear_output`` for code that has no shell at hand.

They use the :class:`~shell.engine.display.displayer.Displayer` of the shell running
the current cell, which the engine publishes in the context variable
:data:`~shell.engine.display.displayer.current_displayer` while ``run_cell`` runs.
That is not a global accessor: the value exists only during a cell, is
scoped to the running thread/task (``contextvars``), and two shells in one
process each see their own. Outside a hocus cell, when an IPython shell
runs the process (ipykernel, IPython, or a widget callback in hocus's kernel
through :mod:`shell.bridge`), they hand over to ``IPython.display``, so code
written against hocus's display API is portable. With no shell at all,
``display`` prints each object's ``text/plain``, as IPython does.
"""

from __future__ import annotations

import sys
from typing import Any, Iterable

from shell.bridge import running_ipython
from shell.engine.display.displayer import DisplayHandle, current_displayer


def display(*objs: Any, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None,
            metadata: dict[str, Any] | None = None, transient: dict[str, Any] | None = None,
            display_id: str | bool | None = None,
            raw: bool = False, clear: bool = False, update: bool = False, **kwargs: Any) -> DisplayHandle | None:
    """Show each object with the richest representation the front end supports.

    ``include``/``exclude`` pick MIME types, ``raw=True`` takes ready MIME
    bundles, ``metadata`` is added to each bundle's, ``display_id`` (``True``
    for a new one) returns a :class:`DisplayHandle` whose ``.update(obj)``
    replaces this output, and ``update=True`` replaces an earlier one.
    """
    displayer = current_displayer.get()
    if displayer is None:
        ipython = running_ipython()  # under ipykernel or IPython, or a widget callback in hocus's kernel
        if ipython is not None:
            return ipython.display(*objs, include=include, exclude=exclude, metadata=metadata, transient=transient,
                                   display_id=display_id, raw=raw, clear=clear, update=update, **kwargs)
        for obj in objs:
            print(_plain(obj, raw), file=sys.stdout)
        return None
    return displayer.display(*objs, include=include, exclude=exclude, metadata=metadata, transient=transient,
                             display_id=display_id, raw=raw, clear=clear, update=update, **kwargs)


def update_display(obj: Any, *, display_id: str, **kwargs: Any) -> None:
    """Replace the output shown earlier with ``display(..., display_id=display_id)``."""
    display(obj, display_id=display_id, update=True, **kwargs)


def clear_output(wait: bool = False) -> None:
    """Clear the current cell's output; ``wait=True`` clears when the next output arrives."""
    displayer = current_displayer.get()
    ipython = running_ipython() if displayer is None else None
    if displayer is not None:
        displayer.clear_output(wait=wait)
    elif ipython is not None:
        ipython.clear_output(wait=wait)
    elif sys.stdout.isatty():
        sys.stdout.write("\033[2K\r")
        sys.stdout.flush()


def _plain(obj: Any, raw: bool) -> str:
    if raw and isinstance(obj, dict):
        return str(obj.get("text/plain", obj))
    from shell.engine.display.formatting import DisplayFormatter

    return DisplayFormatter().format_plain(obj)
