"""How a Shell opens its debugger: post-mortem, ``breakpoint()`` in a cell, code run under ``%debug``.

Usage (what the Shell does; magics reach it through ``shell.debugger(tb)``
and ``shell.new_debugger()``)::

    post_mortem(shell, err.__traceback__)          # %debug, and %pdb after a failing cell
    debugger = new_debugger(shell, stop_at_start=False)
    with breakpoint_hook(shell):                   # run_cell, around the cell's code
        exec(code, shell.user_ns)                  # breakpoint() stops in shell's debugger

Every debugger a shell opens is a :class:`~shell.engine.debugging.debugger.Debugger`
in the shell's colour scheme, completing with the engine's completer in the
frame being debugged, and reading commands through the front end's
``debugger_prompt`` when it set one (the terminal's prompt_toolkit prompt).

``breakpoint()`` in a cell (or in code a cell calls) stops in that debugger
while the cell runs: ``sys.breakpointhook`` is hocus's then, and the
previous hook is back after the cell. ``PYTHONBREAKPOINT=0`` still turns
``breakpoint()`` off, another ``PYTHONBREAKPOINT`` still names the
debugger, and a hook someone else installed (a debugger attached to the
process, such as debugpy; before the cell or while it runs) is left in
place. After the cell SIGINT's handler is the one before it: pdb's
``continue`` swaps in its own until it stops again.

Cells may overlap: a kernel's subshells run them in threads at the same
time (:mod:`shell.engine.concurrent_cells`). ``sys.breakpointhook`` is one
for the whole process, so it is installed when the first cell starts and
put back when the last one ends, and ``breakpoint()`` stops in the
debugger of the cell running in the calling thread (a thread a cell
started, running no cell of its own, gets the newest running cell's).
Each debugger is its cell's: when that cell ends it stops tracing, and
the other cells' debuggers go on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Mapping
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pdb and the debugger load when a debugger first opens, not with the shell
    from shell.engine.debugging.debugger import Debugger
    from shell.engine.completion.model import CompletionResult
    from shell.engine.shell import Shell

__all__ = ["new_debugger", "post_mortem", "breakpoint_hook"]


def new_debugger(shell: Shell, *, stop_at_start: bool = True) -> Debugger:
    """A debugger for ``shell``: its colours, its front end's prompt, its completer's settings."""
    from shell.engine.debugging.debugger import Debugger

    def complete(namespace: Mapping[str, Any], text: str, cursor: int) -> CompletionResult:
        from shell.engine.completion.completer import Completer

        settings = shell.completer
        frame_completer = Completer(namespace=namespace, evaluation=settings.evaluation,
                                    budget_ms=settings.budget_ms, use_jedi=settings.use_jedi)
        return frame_completer.complete(text, cursor)

    return Debugger(colors=shell.colors, read_command=shell.debugger_prompt, complete=complete,
                    stop_at_start=stop_at_start)


def post_mortem(shell: Shell, tb: TracebackType | None) -> None:
    """Debug where ``tb`` ends, as :func:`pdb.post_mortem` does, in ``shell``'s debugger."""
    debugger = new_debugger(shell)
    debugger.reset()
    try:
        debugger.interaction(None, tb)
    finally:
        _give_back_sigint()


def breakpoint_hook(shell: Shell) -> contextlib.AbstractContextManager[None]:
    """While the block runs, ``breakpoint()`` in this thread opens ``shell``'s debugger at its caller."""
    return _CELL_BREAKPOINTS.running(shell)


class _RunningCell:
    """A cell that ``breakpoint()`` may stop in, and the debuggers it opened."""

    def __init__(self, shell: Shell):
        self.shell = shell
        self.debuggers: list[Debugger] = []

    def stop(self, frame: FrameType, header: str | None) -> None:
        debugger = new_debugger(self.shell)
        self.debuggers.append(debugger)
        if header is not None:
            debugger.message(header)
        debugger.set_trace(frame)

    def end(self) -> None:
        """The cell is over: a debugger still stepping would stop in the next cell, or in the prompt."""
        if not self.debuggers:
            return
        if sys.gettrace() in [debugger.trace_dispatch for debugger in self.debuggers]:  # this thread's tracer
            sys.settrace(None)
        for debugger in self.debuggers:
            debugger.quitting = True


def _give_back_sigint() -> None:
    """Put back the SIGINT handler a debugger's ``continue`` replaced, once its cell is over.

    pdb's ``continue`` installs its own (Ctrl-C then breaks into the
    debugger) and puts the previous one back only when it stops again; after
    a ``continue`` to the end of the cell (``breakpoint()``, ``%debug``,
    ``%run -d``), Ctrl-C (a kernel's interrupt) would open a debugger in
    whatever runs next instead of interrupting it. Only the main thread
    handles signals (pdb in another thread sets none).
    """
    pdb = sys.modules.get("pdb")
    if pdb is None or threading.current_thread() is not threading.main_thread():
        return
    previous = pdb.Pdb._previous_sigint_handler
    handler = signal.getsignal(signal.SIGINT)
    if previous is not None and getattr(handler, "__func__", None) is pdb.Pdb.sigint_handler:
        signal.signal(signal.SIGINT, previous)
        pdb.Pdb._previous_sigint_handler = None


class _CellBreakpoints:
    """``sys.breakpointhook`` while any cell runs, answering for the cell running in the calling thread.

    One per process, as ``sys.breakpointhook`` is: a hook per cell, saved
    and put back by each, would hand a cell's ``breakpoint()`` to the
    debugger of another cell that happened to start first, and take the
    hook away from a cell still running when that one ends.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: list[_RunningCell] = []  # every cell the hook answers for, oldest first
        self._threads = threading.local()  # .cells: this thread's running cells, innermost last
        self._hook = self._breakpoint  # one object, to tell whether the hook in place is ours

    @contextlib.contextmanager
    def running(self, shell: Shell) -> Iterator[None]:
        cell = _RunningCell(shell)
        with self._lock:
            # Someone else's hook (debugpy's), in place before the cells or put over ours since:
            # breakpoint() is theirs to answer.
            theirs = sys.breakpointhook is not self._hook and (
                bool(self._running) or sys.breakpointhook is not sys.__breakpointhook__)
            if not theirs:
                sys.breakpointhook = self._hook
                self._running.append(cell)
        cells = self._cells_of_this_thread()
        if not theirs:
            cells.append(cell)
        try:
            yield
        finally:
            if not theirs:
                cells.remove(cell)
                with self._lock:
                    self._running.remove(cell)
                    if not self._running and sys.breakpointhook is self._hook:
                        sys.breakpointhook = sys.__breakpointhook__
                cell.end()
            _give_back_sigint()

    def _cells_of_this_thread(self) -> list[_RunningCell]:
        cells = getattr(self._threads, "cells", None)
        if cells is None:
            cells = self._threads.cells = []
        return cells

    def _answering(self) -> _RunningCell | None:
        """The cell running in this thread, or else (a thread a cell started) the newest running cell."""
        cells = self._cells_of_this_thread()
        if cells:
            return cells[-1]
        with self._lock:
            return self._running[-1] if self._running else None

    def _breakpoint(self, *args: Any, **kwargs: Any) -> Any:
        wanted = os.environ.get("PYTHONBREAKPOINT")
        if wanted == "0":
            return None
        cell = self._answering()
        # another debugger named, or arguments pdb does not take: Python's own hook answers
        if cell is None or wanted or args or set(kwargs) - {"header"}:
            return sys.__breakpointhook__(*args, **kwargs)
        cell.stop(sys._getframe(1), kwargs.get("header"))
        return None


_CELL_BREAKPOINTS = _CellBreakpoints()
