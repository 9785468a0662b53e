"""Run a slow function in a thread, wait for it within a deadline, and abandon it past that.

Usage::

    call = BudgetedCall(slow_function)
    outcome = call.wait(0.1)             # seconds
    if outcome.finished and outcome.error is None:
        use(outcome.value)               # else: carry on without it

Completion must answer within its budget even when jedi takes a second or
hangs on a pathological namespace. Waiting on a thread with a timeout
gives the answer in time; but a Python thread cannot be killed, and a jedi
run left going would keep taking the GIL (slowing the user's next cell)
for as long as it likes. So a call that overruns is *abandoned*: an
exception, :class:`Abandoned`, is raised inside its thread (CPython's
``PyThreadState_SetAsyncExc``), which unwinds jedi at its next bytecode.
The exception is only ever sent while the thread is inside the protected
part of :meth:`BudgetedCall._run`, so it can never escape the thread and
print a traceback. A thread blocked in C code for long only notices once it
returns; until then :attr:`BudgetedCall.alive` says it is still busy.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["Abandoned", "BudgetedCall", "Outcome"]


class Abandoned(BaseException):
    """Raised inside a call's thread when its caller stopped waiting for it."""


@dataclass(frozen=True)
class Outcome:
    """How a call ended: ``finished`` with a ``value`` or an ``error``, or not (abandoned)."""

    finished: bool
    value: Any = None
    error: BaseException | None = None


class BudgetedCall:
    """``fn()`` running in its own daemon thread, started on construction."""

    def __init__(self, fn: Callable[[], Any], name: str = "hocus-budgeted-call"):
        self._fn = fn
        self._lock = threading.Lock()
        self._state = "starting"  # -> running -> done; or starting -> cancelled
        self._outcome: Outcome | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        """Whether the thread is still running (an abandoned call may take a moment to unwind)."""
        return self._thread.is_alive()

    def wait(self, timeout: float) -> Outcome:
        """The outcome if the call ends within ``timeout`` seconds; else abandon it."""
        if self._done.wait(max(timeout, 0.0)):
            assert self._outcome is not None  # set before done is
            return self._outcome
        with self._lock:
            if self._outcome is not None:
                return self._outcome
            self._outcome = Outcome(False)
            if self._state == "running":
                _raise_in_thread(self._thread.ident, Abandoned)
            else:
                self._state = "cancelled"
            return self._outcome

    def _run(self) -> None:
        value = error = None
        finished = False
        while True:
            try:
                if self._state == "starting":
                    with self._lock:
                        if self._state == "cancelled":
                            return
                        self._state = "running"
                    try:
                        value = self._fn()
                    except BaseException as err:  # noqa: BLE001 - anything, jedi's RecursionError included
                        error = err
                    finished = not isinstance(error, Abandoned)
                with self._lock:
                    self._state = "done"
                    if self._outcome is None:
                        self._outcome = Outcome(finished, value, error)
                    self._done.set()
                return
            except Abandoned:  # arrived after fn returned, while recording the outcome: record it again
                if self._state == "running" and not finished:
                    error = Abandoned()


def _raise_in_thread(thread_id: int | None, exc_type: type[BaseException]) -> None:
    import ctypes

    if thread_id is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc_type))
