"""The terminal front end.

:mod:`shell.terminal.app` is the prompt_toolkit shell, used when stdin and
stdout are terminals; :mod:`shell.terminal.simple` is the plain line-based
loop (no prompt_toolkit), used with ``--simple-prompt``, when stdin is not a
terminal, or when ``TERM=dumb``. :func:`terminal_available` makes that
choice; it imports nothing, so deciding costs nothing.
"""

from __future__ import annotations

import os
import sys


def terminal_available() -> bool:
    """Whether the full prompt can run: stdin and stdout are terminals and TERM is not 'dumb'."""
    try:
        ttys = sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
    return ttys and os.environ.get("TERM", "") != "dumb"
