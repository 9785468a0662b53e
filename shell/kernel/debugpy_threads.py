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
  raised (that interrupt), so the next cell is traced again.

Their imports of debugpy come inside the calls, made only once debugpy runs.
"""

from __future__ import annotations

import sys
import threading

STATE_RUN = 1  # debugpy's mark of a thread that runs (pydevd_constants.STATE_RUN)


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
