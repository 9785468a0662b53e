"""``input()`` and ``getpass.getpass()`` in a kernel: an ``input_request`` on the stdin channel.

:class:`StdinInput` is the engine's :class:`~shell.engine.io.InputProvider`.
The transport supplies ``request(prompt, password) -> str``; when the
current request did not allow stdin (``allow_stdin: false``, as nbclient
sends by default) the user gets :class:`StdinNotImplementedError`, as in
ipykernel.
"""

from __future__ import annotations

from typing import Callable


class StdinNotImplementedError(NotImplementedError):
    """``input()`` was called but the front end cannot answer input requests."""


class StdinInput:
    """Answers ``input()`` by asking the front end that sent the current request."""

    def __init__(self, request: Callable[[str, bool], str]):
        self._request = request
        self.allowed = False

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        if not self.allowed:
            raise StdinNotImplementedError("input was called, but this frontend does not support input requests.")
        return self._request(str(prompt), password)
