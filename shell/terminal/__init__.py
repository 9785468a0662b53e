"""The terminal front end.

:mod:`shell.terminal.app` is the prompt_toolkit shell, used when stdin and
stdout are terminals; :mod:`shell.terminal.simple` is the plain line-based
loop (no prompt_toolkit), used with ``--simple-prompt``, when stdin is not a
terminal, or when ``TERM=dumb``. :func:`terminal_available` makes that
choice; it imports nothing, so deciding costs nothing. :func:`prepare_engine`
sets what the terminal changes in its engine, before the first cell runs.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shell.engine.shell import Shell


def terminal_available() -> bool:
    """Whether the full prompt can run: stdin and stdout are terminals and TERM is not 'dumb'."""
    try:
        ttys = sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
    return ttys and os.environ.get("TERM", "") != "dumb"


def prepare_engine(shell: Shell) -> None:
    """The terminal's ``Out[N]:`` colours, pager and debugger prompt, set on the engine (again: no harm).

    Done before the first cell, which may run at the instant prompt, before
    prompt_toolkit (and :class:`~shell.terminal.app.TerminalShell`) has
    loaded; so nothing here imports prompt_toolkit.
    """
    import shutil

    from shell.engine.io import TextDisplayPublisher
    from shell.terminal.pager import TerminalPager
    from shell.terminal.prompts import out_prompt

    if isinstance(shell.display_pub, TextDisplayPublisher):  # the engine's own (not %%capture's): colour its prompt
        shell.display_pub.out_prompt = out_prompt(shell.colors != "NoColor")
    if sys.stdout.isatty():
        shell.pager = TerminalPager(rows=lambda: shutil.get_terminal_size().lines)
    if shell.debugger_prompt is None and terminal_available():  # prompt_toolkit loads when a debugger opens
        from shell.terminal.debugger_prompt import DebuggerPrompt

        shell.debugger_prompt = DebuggerPrompt.configured(shell)
