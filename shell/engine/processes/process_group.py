"""Ending a child and everything it started: its process group.

Usage::

    proc = None
    try:
        with interrupt_deferred():                 # a Ctrl-C inside Popen() would orphan the child
            proc = subprocess.Popen(..., start_new_session=True)
        wait_for_exit(proc)
    except KeyboardInterrupt:
        if proc is not None:
            stop_process_group(proc)               # SIGINT, then SIGTERM, then SIGKILL
        raise

Every child of ``!cmd`` and the script magics leads a process group of its
own (``start_new_session=True``), so the terminal's Ctrl-C reaches hocus
only, and hocus decides what the child gets: SIGINT first, so a ``trap``
can clean up, then SIGTERM, then SIGKILL, each after a short grace
(:data:`STOP_SIGNALS`, a second at most in all). The group counts as gone
when its leader has exited and nothing but zombies is left in it.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import threading
import time
from typing import Iterator

STOP_SIGNALS: tuple[tuple[signal.Signals, float], ...] = (
    (signal.SIGINT, 0.4), (signal.SIGTERM, 0.25), (signal.SIGKILL, 0.15))
"""Signals sent to an interrupted child's group, each with how long to wait for it to work."""

SIGNAL_CHECK_INTERVAL = 0.25
"""The longest a wait for a child sleeps before Python may run a pending signal handler.

Python runs a signal handler in the main thread, when that thread next
comes back from a blocking call. A SIGINT taken by another thread (the
kernel sends it to its own process, and the main thread has every signal
blocked for a moment while it starts a child) does not wake the main
thread's select: without a bound, Ctrl-C or a kernel interrupt waited for
the child to end. ``tests/terminal/test_interrupt_child.py`` sends one so.
"""


def stop_process_group(*procs: subprocess.Popen) -> None:
    """End each of ``procs`` and everything in its process group: SIGINT, then SIGTERM, then SIGKILL.

    Each signal goes to every group still alive at once, so stopping several
    programs (``%killbgscripts``) takes no longer than stopping one. Another
    Ctrl-C while waiting moves on to the next signal at once.
    """
    for sig, grace in STOP_SIGNALS:
        alive = [proc for proc in procs if not group_gone(proc)]
        if not alive:
            return
        for proc in alive:
            signal_group(proc.pid, sig)
        deadline = time.monotonic() + grace
        try:
            while time.monotonic() < deadline and not all(group_gone(proc) for proc in alive):
                time.sleep(0.01)
        except KeyboardInterrupt:
            continue


def wait_for_exit(proc: subprocess.Popen) -> int:
    """``proc.wait()``, minus the quarter second it waits after Ctrl-C for a child of our own group.

    Our children are in a group of their own and do not see the Ctrl-C
    until we pass it on, so that wait would only delay it. Where there is
    no pidfd, ``proc.wait()`` it is.
    """
    exited = exit_descriptor(proc.pid)
    if exited is None:
        while True:
            try:
                return proc.wait(SIGNAL_CHECK_INTERVAL)
            except subprocess.TimeoutExpired:
                continue
    try:
        while proc.poll() is None:
            select.select([exited], [], [], SIGNAL_CHECK_INTERVAL)
    finally:
        os.close(exited)
    return proc.returncode


@contextlib.contextmanager
def interrupt_deferred() -> Iterator[None]:
    """Run the block with SIGINT's handler put off until the block is over.

    A KeyboardInterrupt raised inside ``Popen()`` would lose the Popen object
    of a child that already runs, leaving it orphaned. Deferred, the handler
    (Python's default, or a kernel's own) runs right after the block, when
    the caller has the child in hand and can stop it. Only the main thread
    can change handlers; elsewhere, or when SIGINT has no Python handler,
    nothing is deferred.
    """
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield
        return
    frames = []
    signal.signal(signal.SIGINT, lambda signum, frame: frames.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if frames:
        previous(signal.SIGINT, frames[0])


def exit_descriptor(pid: int) -> int | None:
    """A descriptor that becomes readable when ``pid`` exits (Linux), so no polling is needed."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def signal_group(pgid: int, sig: signal.Signals) -> None:
    """Send ``sig`` to every process of group ``pgid``; a group already gone is fine."""
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def group_gone(proc: subprocess.Popen) -> bool:
    """The child has exited and no live process is left in its group."""
    if proc.poll() is None:
        return False
    try:
        os.killpg(proc.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # something we may not signal: nothing more we can do about it
        return True
    return not has_live_member(proc.pid)


def has_live_member(pgid: int) -> bool:
    """Whether a process of group ``pgid`` is more than a zombie.

    Orphans of the group are reparented to PID 1, which in a container may
    never reap them; their zombies still count for ``killpg(pgid, 0)``, so
    /proc is asked when it exists.
    """
    try:
        entries = os.listdir("/proc")
    except OSError:
        return True
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in (b"Z", b"X"):
            return True
    return False
