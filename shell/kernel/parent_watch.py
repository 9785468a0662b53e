"""The kernel ends when the process that launched it does, even in the middle of a cell.

Usage::

    watch_parent(on_gone=kernel.stop_now)     # once, at start-up

A kernel whose launcher (the notebook server, ``jupyter console``, a
script) is killed is reparented and would run on, unseen, at full speed if
a cell loops. Checking the parent between requests misses exactly that
case, so a daemon thread watches it: through a pidfd where Linux has one
(woken the moment the parent exits), else by asking ``getppid()`` four
times a second. A kernel started by PID 1 (a container's init) has no
launcher to watch.
"""

from __future__ import annotations

import os
import select
import threading
from typing import Callable

POLL_SECONDS = 0.25


def watch_parent(on_gone: Callable[[int], None]) -> threading.Thread | None:
    """Call ``on_gone(parent_pid)`` from a daemon thread when this process's parent exits."""
    parent = os.getppid()
    if parent <= 1:
        return None
    thread = threading.Thread(target=_watch, args=(parent, on_gone), name="hocus-parent-watch", daemon=True)
    thread.start()
    return thread


def _watch(parent: int, on_gone: Callable[[int], None]) -> None:
    exited = _exit_descriptor(parent)
    while os.getppid() == parent:
        if exited is not None:
            select.select([exited], [], [])  # readable once the parent has exited
        else:
            select.select([], [], [], POLL_SECONDS)
    on_gone(parent)


def _exit_descriptor(pid: int) -> int | None:
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None
    if os.getppid() != pid:  # it died (and its number may be someone else's) before the pidfd was opened
        os.close(fd)
        return None
    return fd
