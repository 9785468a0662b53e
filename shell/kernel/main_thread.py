"""Work another thread hands to the kernel's main thread, which runs it between requests.

Some things must happen on the thread that runs cells: ``debugpy.listen``
installs its tracer on the thread that calls it, and a breakpoint is only
hit on a traced thread. The control thread asks for them here::

    calls = MainThreadCalls(wake)
    port = calls.call(start_listening)      # control thread: waits for the result
    calls.run_pending()                     # main thread's loop, between requests

If a cell is running, the call waits for it to end.
"""

from __future__ import annotations

import collections
import threading
from typing import Any, Callable, Protocol


class Wakeable(Protocol):
    def set(self) -> None: ...


class MainThreadGone(RuntimeError):
    """The kernel stopped before the main thread could run the call."""


class _Call:
    def __init__(self, function: Callable[[], Any]):
        self.function = function
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.function()
        except BaseException as err:  # noqa: BLE001 - handed back to the caller's thread
            self.error = err
        finally:
            self.done.set()


class MainThreadCalls:
    """A queue of calls for the main thread; ``wake`` gets its loop out of its wait."""

    def __init__(self, wake: Wakeable, stopping: threading.Event | None = None):
        self._wake = wake
        self._stopping = stopping or threading.Event()
        self._pending: collections.deque[_Call] = collections.deque()

    def call(self, function: Callable[[], Any], *, poll: float = 0.1) -> Any:
        """Run ``function`` on the main thread and return its result (or raise its error)."""
        if threading.current_thread() is threading.main_thread():
            return function()
        call = _Call(function)
        self._pending.append(call)
        self._wake.set()
        while not call.done.wait(poll):
            if self._stopping.is_set():
                raise MainThreadGone("the kernel is shutting down")
        if call.error is not None:
            raise call.error
        return call.result

    def run_pending(self) -> None:
        """From the main thread: run what other threads asked for."""
        while self._pending:
            self._pending.popleft().run()
