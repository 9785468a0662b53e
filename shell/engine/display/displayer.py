"""``display()``, ``update_display()`` and ``clear_output()`` for one shell.

The engine puts ``display`` into the user namespace, bound to itself, so
cells call ``display(obj)`` as in IPython; ``get_ipython().display_pub``
is the front end's :class:`~shell.engine.io.DisplayPublisher`.

While a cell runs, :data:`current_displayer` holds the running shell's
Displayer, so library code (``shell.display.display``, the matplotlib inline
backend) reaches the shell that runs it without a global ``Shell.instance()``:
the value is set and reset by ``run_cell`` and is local to the thread/task.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from typing import Any, Callable, Iterable

from shell.engine.display.formatting import DisplayFormatter
from shell.engine.io import DisplayPublisher


#: The Displayer of the shell whose cell is running now (None outside cells).
current_displayer: ContextVar["Displayer | None"] = ContextVar("hocus_current_displayer", default=None)


class DisplayHandle:
    """A display that can be updated in place: returned by ``display(..., display_id=True)``."""

    def __init__(self, displayer: "Displayer", display_id: str | None = None):
        self._displayer = displayer
        self.display_id = display_id or _new_display_id()

    def display(self, obj: Any, **kwargs: Any) -> None:
        self._displayer.display(obj, display_id=self.display_id, **kwargs)

    def update(self, obj: Any, **kwargs: Any) -> None:
        self._displayer.display(obj, display_id=self.display_id, update=True, **kwargs)

    def __repr__(self) -> str:
        return f"<DisplayHandle display_id={self.display_id}>"


class Displayer:
    """Formats objects and hands the bundles to the front end's publisher."""

    def __init__(self, formatter: DisplayFormatter, publisher: DisplayPublisher):
        self.formatter = formatter
        self.publisher = publisher
        self._cell_end_hooks: list[Callable[[], object]] = []

    def at_cell_end(self, hook: Callable[[], object]) -> None:
        """Call ``hook()`` after every cell from now on (once per hook), still inside the cell's context.

        For output gathered during a cell and shown when it ends: the
        matplotlib inline backend shows the cell's figures this way.
        """
        if hook not in self._cell_end_hooks:
            self._cell_end_hooks.append(hook)

    def cell_finished(self) -> None:
        """Run the :meth:`at_cell_end` hooks; a failing hook costs a one-line warning."""
        for hook in list(self._cell_end_hooks):
            try:
                hook()
            except Exception as err:  # noqa: BLE001 - never lose the cell's result over a display hook
                self.formatter._warn(f"Warning: showing the cell's output failed ({type(err).__name__}: {err})\n")

    def display(self, *objs: Any, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None,
                metadata: dict[str, Any] | None = None, transient: dict[str, Any] | None = None,
                display_id: str | bool | None = None, raw: bool = False, clear: bool = False,
                update: bool = False, **kwargs: Any) -> DisplayHandle | None:
        """Show each object with the richest representations it offers.

        ``raw=True`` takes the objects as ready MIME bundles; ``display_id``
        (``True`` for a new one) lets a later ``update=True`` replace this
        output; the returned handle does that with ``.update(obj)``.
        """
        if display_id is True:
            display_id = _new_display_id()
        if update and not display_id:
            raise TypeError("display(..., update=True) needs a display_id")
        if clear:
            self.publisher.clear_output(wait=True)
        transient = dict(transient or {})
        if display_id:
            transient["display_id"] = display_id
        md: dict[str, Any]
        for obj in objs:
            if raw:
                data, md = dict(obj), {}
            else:
                if self.formatter.show_itself(obj):
                    continue
                data, md = self.formatter.format(obj, include=include, exclude=exclude)
            if metadata:
                md = {**md, **metadata}
            if data:
                self.publisher.publish(data, md, transient=transient or None, update=update)
        return DisplayHandle(self, display_id) if display_id else None

    def update_display(self, obj: Any, *, display_id: str, **kwargs: Any) -> None:
        """Replace the output shown earlier under ``display_id``."""
        self.display(obj, display_id=display_id, update=True, **kwargs)

    def clear_output(self, wait: bool = False) -> None:
        """Clear the current cell's output (``wait``: when the next output arrives)."""
        self.publisher.clear_output(wait=wait)


def _new_display_id() -> str:
    """A random display id (os.urandom: no uuid import at start-up)."""
    return os.urandom(16).hex()
