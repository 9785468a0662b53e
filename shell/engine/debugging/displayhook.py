"""``sys.displayhook`` while debuggers are open: a value typed at a prompt is shown by that thread's debugger.

pdb runs a statement typed at its prompt (``x + 1``) with ``sys.displayhook``
swapped for its own and puts back the hook it found afterwards. Two
debuggers open at once in two threads (cells of a kernel's subshells) swap
and put back over each other: one put the interpreter's hook back while the
other's statement ran, and the interpreter's hook sets ``builtins._``, which
the engine then takes for a ``_`` of the user's.

While any debugger is open, ``sys.displayhook`` is :func:`show_in_this_thread`,
and it is the hook each debugger swaps in, so pdb's swaps change nothing; it
shows a value in the debugger open in the calling thread, and anywhere else
hands it to the hook there was before::

    with shown_by(debugger):        # around a debugger's command loop
        debugger.cmdloop()
"""

from __future__ import annotations

import contextlib
import pdb
import sys
import threading
from typing import Any, Iterator

from shell.engine.concurrent_cells import NameLease

__all__ = ["show_in_this_thread", "shown_by"]

_HOOK = NameLease("displayhook", module="sys")
_open = threading.local()  # .debugger: the debugger whose command loop runs in this thread


def show_in_this_thread(value: Any) -> None:
    """``sys.displayhook`` while a debugger is open: the calling thread's debugger shows ``value``, as pdb does."""
    debugger = getattr(_open, "debugger", None)
    if debugger is not None:
        pdb.Pdb.displayhook(debugger, value)
        return
    previous = _HOOK.previous()
    (previous if callable(previous) else sys.__displayhook__)(value)


@contextlib.contextmanager
def shown_by(debugger: pdb.Pdb) -> Iterator[None]:
    """While the block runs, values typed at a prompt in this thread are ``debugger``'s to show."""
    outer = getattr(_open, "debugger", None)  # a debugger opened from inside another one's statement
    _open.debugger = debugger
    _HOOK.acquire(show_in_this_thread)
    try:
        yield
    finally:
        _HOOK.release()
        _open.debugger = outer
