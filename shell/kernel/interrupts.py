"""Interrupting a running cell: SIGINT becomes KeyboardInterrupt only while user code runs.

With ``interrupt_mode: signal`` (the default) the front end sends SIGINT to
the kernel process; with ``interrupt_mode: message`` it sends
``interrupt_request`` on the control channel and the control thread sends
SIGINT to its own process. Either way the handler raises KeyboardInterrupt
in the main thread — in a busy loop, in ``time.sleep`` or while ``input()``
waits — and the engine reports it like any error. Between cells a SIGINT is
ignored, so it cannot break the kernel's own loop.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import types
from typing import Iterator


class InterruptGate:
    """Raises KeyboardInterrupt on SIGINT, but only inside :meth:`executing`."""

    def __init__(self) -> None:
        self.armed = False

    def install(self) -> None:
        signal.signal(signal.SIGINT, self._on_sigint)

    def _on_sigint(self, signum: int, frame: types.FrameType | None) -> None:
        __tracebackhide__ = True  # the interrupted cell's traceback ends in the user's code, not here
        if self.armed:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def executing(self) -> Iterator[None]:
        """While a cell runs in the main thread, SIGINT interrupts it.

        A subshell's cell (another thread) leaves the gate as it is: SIGINT is
        delivered to the main thread only, so an interrupt stays the main
        shell's, and a subshell's cell ending must not disarm the main one's.
        """
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        self.armed = True
        try:
            yield
        finally:
            self.armed = False

    def interrupt(self) -> None:
        """What ``interrupt_request`` does: SIGINT to the main thread.

        Sent to the process, the signal may go to the calling (control)
        thread while the main thread has signals blocked (it does, briefly,
        while it starts a child), and a main thread waiting in a system
        call would not be woken to run the handler.
        """
        main = threading.main_thread().ident
        assert main is not None  # it has started: it runs the kernel
        signal.pthread_kill(main, signal.SIGINT)
