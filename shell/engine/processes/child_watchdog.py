"""Children that end with hocus, however hocus ends.

Usage::

    proc = subprocess.Popen(..., start_new_session=True)
    child_watchdog.watch(proc.pid)       # its process group ends when this process does
    ...
    child_watchdog.release(proc.pid)     # the group is gone: forget it

Every ``!cmd`` and script magic child leads a process group of its own, so
that Ctrl-C reaches hocus only and hocus decides what the child gets
(:mod:`shell.engine.processes.process_group`). The price was that nothing ended those
groups when hocus itself was killed: a forced kernel restart or a
``kill -9`` left a ``!python train.py`` running. A parent-death signal
(``PR_SET_PDEATHSIG``) would reach only the direct child, not what a
``%%bash`` script starts, and a kernel launcher's ``killpg`` misses groups
of their own.

So the first child starts a watchdog: a small Python process in a session
of its own (no Ctrl-C, no ``killpg`` of hocus's group, no hangup reach it)
that reads group ids from a pipe whose only writer is this process. When
this process ends — a clean exit, an exception, SIGKILL — the kernel closes
the pipe, the watchdog reads end-of-file and sends each group still alive
SIGTERM, then SIGKILL a second later, and exits. Groups that ended are
released (and the watchdog forgets groups that are gone every second), so a
process id reused later is never signalled. A process forked from this one
(multiprocessing) closes its copy of the pipe, so it cannot keep the
watchdog waiting, and starts its own watchdog if it starts children.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

WATCHDOG = r"""# hocus child watchdog: ends the process groups it was told of when its stdin closes
import os, select, signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
groups, pending = set(), b""

def alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except OSError:
        return False

while True:
    if select.select([0], [], [], 1.0)[0]:
        data = os.read(0, 65536)
        if not data:
            break
        *lines, pending = (pending + data).split(b"\n")
        for line in lines:
            if line[1:].isdigit():
                (groups.add if line[:1] == b"+" else groups.discard)(int(line[1:]))
    else:
        groups = {pgid for pgid in groups if alive(pgid)}
for sig, grace in ((signal.SIGTERM, 1.0), (signal.SIGKILL, 0)):
    groups = {pgid for pgid in groups if alive(pgid)}
    for pgid in groups:
        try:
            os.killpg(pgid, sig)
        except OSError:
            pass
    deadline = time.monotonic() + grace
    while groups and time.monotonic() < deadline and any(alive(pgid) for pgid in groups):
        time.sleep(0.02)
"""


class ChildWatchdog:
    """This process's end of the watchdog: a pipe to write group ids to, opened on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pipe: int | None = None
        self._pid = 0

    def watch(self, pgid: int) -> None:
        """End group ``pgid`` when this process ends (best effort: without the watchdog, nothing happens)."""
        self._send(b"+%d\n" % pgid, start=True)

    def release(self, pgid: int) -> None:
        """Group ``pgid`` is gone (or should outlive us after all): the watchdog forgets it."""
        self._send(b"-%d\n" % pgid, start=False)

    def _send(self, line: bytes, *, start: bool) -> None:
        with self._lock:
            if self._pid != os.getpid():  # a forked child: the pipe is its parent's, closed after fork
                self._pipe = None
            if self._pipe is None and start:
                self._pipe = self._start()
            if self._pipe is None:
                return
            try:
                os.write(self._pipe, line)  # a few bytes into a pipe: one atomic write
            except OSError:  # the watchdog was killed: children are on their own again
                os.close(self._pipe)
                self._pipe = None

    def _start(self) -> int | None:
        read_end, write_end = os.pipe()  # not inheritable: later children never hold the write end
        try:
            subprocess.Popen([sys.executable, "-I", "-S", "-c", WATCHDOG], stdin=read_end,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            os.close(write_end)
            return None
        finally:
            os.close(read_end)
        self._pid = os.getpid()
        return write_end

    def _after_fork(self) -> None:
        if self._pipe is not None:
            try:
                os.close(self._pipe)
            except OSError:
                pass
        self._pipe = None
        self._lock = threading.Lock()


child_watchdog = ChildWatchdog()
"""The one watchdog of this process (children and their groups belong to the process, not to a Shell)."""

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=child_watchdog._after_fork)
