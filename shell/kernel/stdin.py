"""``input()`` and ``getpass.getpass()`` in a kernel: an ``input_request`` on the stdin channel.

:class:`StdinInput` is the engine's :class:`~shell.engine.io.InputProvider`.
The transport supplies ``request(prompt, password) -> str``; when the
current request did not allow stdin (``allow_stdin: false``, as nbclient
sends by default) the user gets :class:`StdinNotImplementedError`, as in
ipykernel. A subshell's thread (:mod:`shell.kernel.subshells`) cannot ask:
the stdin channel belongs to the main shell, so ``input()`` there raises it
too, saying why.
"""

from __future__ import annotations

import threading
from typing import Callable


class StdinNotImplementedError(NotImplementedError):
    """``input()`` was called but the front end cannot answer input requests."""


class StdinInput:
    """Answers ``input()`` by asking the front end that sent the current request."""

    def __init__(self, request: Callable[[str, bool], str]):
        self._request = request
        self._thread = _ThreadStdin()

    @property
    def allowed(self) -> bool:
        """Whether the current request (of this thread) lets ``input()`` ask the front end."""
        return self._thread.allowed

    @allowed.setter
    def allowed(self, allowed: bool) -> None:
        self._thread.allowed = allowed

    def refuse_in_this_thread(self, reason: str) -> None:
        """``input()`` in the calling thread raises StdinNotImplementedError with ``reason``, whatever is allowed."""
        self._thread.refused = reason

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        if self._thread.refused:
            raise StdinNotImplementedError(self._thread.refused)
        if not self.allowed:
            raise StdinNotImplementedError("input was called, but this frontend does not support input requests.")
        return self._request(str(prompt), password)


class _ThreadStdin(threading.local):
    allowed = False
    refused = ""
