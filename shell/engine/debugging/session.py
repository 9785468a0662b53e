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
while the cell runs: ``sys.breakpointhook`` is the shell's then, and the
previous hook is back after the cell. ``PYTHONBREAKPOINT=0`` still turns
``breakpoint()`` off, another ``PYTHONBREAKPOINT`` still names the
debugger, and a hook someone else installed (a debugger attached to the
process, such as debugpy) is left in place.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from types import TracebackType
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
    debugger.interaction(None, tb)


@contextlib.contextmanager
def breakpoint_hook(shell: Shell) -> Iterator[None]:
    """While the block runs, ``breakpoint()`` opens ``shell``'s debugger at its caller."""
    previous = sys.breakpointhook
    if previous is not sys.__breakpointhook__:  # another debugger's hook: breakpoint() is its to answer
        yield
        return
    started: list[Debugger] = []

    def stop_here(*args: Any, **kwargs: Any) -> Any:
        wanted = os.environ.get("PYTHONBREAKPOINT")
        if wanted == "0":
            return None
        if wanted or args or set(kwargs) - {"header"}:  # another debugger named, or arguments pdb does not take
            return sys.__breakpointhook__(*args, **kwargs)
        debugger = new_debugger(shell)
        started.append(debugger)
        if kwargs.get("header") is not None:
            debugger.message(kwargs["header"])
        debugger.set_trace(sys._getframe(1))
        return None

    sys.breakpointhook = stop_here
    try:
        yield
    finally:
        sys.breakpointhook = previous
        if started:
            # The cell is over: a debugger still stepping would stop in the next cell, or in the prompt.
            if sys.gettrace() in [debugger.trace_dispatch for debugger in started]:
                sys.settrace(None)
            for debugger in started:
                debugger.quitting = True
