"""Losing no history at exit: the process-wide hooks an application chooses to install.

Usage::

    install_exit_flush()    # atexit, SIGTERM and SIGHUP write every live history store's pending cells

The history store writes cells from a background thread, so a process that
ends while cells wait would lose them. The ``hocus`` command and the kernel
install these hooks through the session bootstrap (:mod:`shell.session`); a
program using ``Shell()`` as a library gets none of them unless it asks, so
the engine never takes over a signal behind its user's back.

The hooks do not wait for the writer thread or take a lock the interrupted
main thread might hold: each store writes its pending items on a fresh
connection of its own (:func:`shell.engine.history.writer.flush_all`). The
signal handlers are only installed from the main thread, never replace
SIGINT, leave an ignored signal ignored, and hand over to whatever handler
was there before (for the default action, the process still dies of the
signal, with the usual status).
"""

from __future__ import annotations

import atexit
import os
import threading
from typing import Any

from shell.engine.history.writer import flush_all

__all__ = ["install_exit_flush", "FLUSH_SIGNALS"]

FLUSH_SIGNALS = ("SIGTERM", "SIGHUP")
_PREVIOUS: dict[int, Any] = {}
_installed = False
_install_lock = threading.Lock()


def install_exit_flush() -> None:
    """Write pending history at interpreter exit and on SIGTERM/SIGHUP (once per process)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        _installed = True
        atexit.register(flush_all)
    if threading.current_thread() is threading.main_thread():
        _install_signal_handlers()


def _install_signal_handlers() -> None:
    """Flush history on SIGTERM and SIGHUP, then do what the signal did before."""
    import signal

    for name in FLUSH_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        previous = signal.getsignal(signum)
        if previous is _on_signal or previous == signal.SIG_IGN or previous is None:
            continue  # ours already, deliberately ignored, or set outside Python: leave it be
        _PREVIOUS[signum] = previous
        signal.signal(signum, _on_signal)


def _on_signal(signum: int, frame: Any) -> None:
    import signal

    flush_all()
    previous = _PREVIOUS.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)  # die of the signal, as the process would have
    os.kill(os.getpid(), signum)
