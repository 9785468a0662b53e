"""The few places the kernel reaches into debugpy's own state for the thread that runs cells.

debugpy's protocol has no request for what a kernel's interrupt and cell
boundaries need, so these go to debugpy's tracer (pydevd) directly, all
here, each for one reason:

- :func:`end_stepping`: a step that runs off the end of a cell ends with the
  cell; it does not carry over to stop in whatever cell runs next. An
  interrupt while a breakpoint holds the thread leaves debugpy's wait with
  the KeyboardInterrupt, and debugpy still marks the thread as held: it is
  marked running too;
- :func:`trace_this_thread`: CPython stops tracing a thread whose tracer
  raised (that interrupt), so the next cell is traced again;
- :func:`hide_kernel_threads`: the kernel's own threads (control, IOPub,
  heartbeat, output) are never traced, held or listed, so a breakpoint
  never holds the thread that would answer ``continue``.

Their imports of debugpy come inside the calls, made only once debugpy runs.
"""

from __future__ import annotations

import sys
import threading

STATE_RUN = 1  # debugpy's mark of a thread that runs (pydevd_constants.STATE_RUN)
USER_CODE_THREADS = ("hocus-subshell-",)  # hocus threads that run cells: debugged like the main thread


def is_kernel_thread(name: str) -> bool:
    """Whether a thread of this name is the kernel's own (``hocus-...``), not one that runs the user's cells."""
    return name.startswith("hocus-") and not name.startswith(USER_CODE_THREADS)


def hide_kernel_threads() -> None:
    """Mark the kernel's own threads for debugpy to leave alone (before debugpy starts).

    Threads the kernel starts later (the history writer) are traced like
    any thread, but run only hocus's code, which debugpy is told to skip;
    the ``threads`` reply leaves them out.
    """
    for thread in threading.enumerate():
        if is_kernel_thread(thread.name):
            mark_untraced(thread)


def mark_untraced(thread: threading.Thread) -> None:
    """Tell debugpy to leave ``thread`` alone: never traced, never suspended, not listed."""
    setattr(thread, "pydev_do_not_trace", True)
    setattr(thread, "is_pydev_daemon_thread", True)


def trace_this_thread() -> None:
    """Trace the calling thread again if something untraced it (before a cell, on the main thread)."""
    if sys.gettrace() is None:
        import debugpy

        debugpy.debug_this_thread()


def end_stepping(inside_cell: bool) -> None:
    """After a cell, on its thread: forget a step still under way, unless an outer cell is still running.

    A thread still marked as held (an interrupt took it out of debugpy's
    wait at a breakpoint) is marked running too.
    """
    thread = threading.current_thread()
    info = getattr(thread, "additional_info", None)
    if inside_cell or info is None:
        return
    if getattr(info, "pydev_step_cmd", -1) == -1 and getattr(info, "pydev_state", STATE_RUN) == STATE_RUN:
        return
    from _pydevd_bundle.pydevd_additional_thread_info import set_additional_thread_info  # type: ignore[import-not-found]
    from _pydevd_bundle.pydevd_thread_lifecycle import internal_run_thread  # type: ignore[import-not-found]

    internal_run_thread(thread, set_additional_thread_info)
