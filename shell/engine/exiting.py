"""``exit`` and ``quit`` in the user namespace.

Typing ``exit`` (without parentheses) ends the session, as in IPython: the
engine's display hook calls the command when it is a cell's result.
``exit(3)`` ends it with status 3.
"""

from __future__ import annotations

from typing import Any


class ExitCommand:
    """Callable that asks its shell to end the session."""

    def __init__(self, shell: Any):
        self._shell = shell

    def __call__(self, code: int | None = None) -> None:
        self._shell.ask_exit(code)

    def __repr__(self) -> str:
        return "Use exit() or Ctrl-D (i.e. EOF) to exit."
