"""Events the engine fires around each cell, and callbacks registered for them.

Usage::

    def before(info):            # info: ExecutionInfo (raw_cell, store_history, silent)
        ...
    shell.events.register("pre_run_cell", before)

Events are declared up front (see :data:`EVENTS`); registering an unknown
name is an error, not a silent new event. A callback that raises is
reported on the shell's error output and the cell goes on.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

#: name -> what the callbacks receive
EVENTS: dict[str, str] = {
    "pre_execute": "fired before any cell runs, including silent ones; no arguments",
    "pre_run_cell": "fired before a non-silent cell runs; receives an ExecutionInfo",
    "post_execute": "fired after any cell ran, including silent ones; no arguments",
    "post_run_cell": "fired after a non-silent cell ran; receives the ExecutionResult",
    "shell_initialized": "fired once the shell is fully set up; receives the shell",
}


class EventManager:
    """Callbacks per declared event, called in registration order."""

    def __init__(self, report_error: Callable[[str], None] | None = None):
        self.callbacks: dict[str, list[Callable]] = {name: [] for name in EVENTS}
        self._report_error = report_error or (lambda text: None)

    def register(self, event: str, callback: Callable) -> None:
        """Call ``callback`` whenever ``event`` fires."""
        self._check(event)
        if not callable(callback):
            raise TypeError(f"callback must be callable, not {type(callback).__name__}")
        self.callbacks[event].append(callback)

    def unregister(self, event: str, callback: Callable) -> None:
        """Stop calling ``callback`` for ``event``; ValueError if it was not registered."""
        self._check(event)
        try:
            self.callbacks[event].remove(callback)
        except ValueError:
            raise ValueError(f"callback {callback!r} is not registered for {event!r}") from None

    def trigger(self, event: str, *args: Any) -> None:
        """Call every callback for ``event``; report, never raise, their errors."""
        self._check(event)
        for callback in list(self.callbacks[event]):
            try:
                callback(*args)
            except (Exception, KeyboardInterrupt) as err:
                name = getattr(callback, "__qualname__", repr(callback))
                detail = "".join(traceback.format_exception_only(type(err), err)).strip()
                self._report_error(f"Error in callback {name} (for {event}): {detail}\n")

    def _check(self, event: str) -> None:
        if event not in EVENTS:
            known = ", ".join(EVENTS)
            raise KeyError(f"{event!r} is not a known event; known events: {known}")
