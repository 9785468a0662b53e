"""``embed()``: open a hocus shell in the middle of a running program.

Usage::

    from shell import embed

    def compute(data):
        total = sum(data)
        embed(header="inspect total")   # a shell on this frame's names; exit to carry on
        return total

The shell's namespace starts as the caller's globals overlaid with its
locals, in ONE dictionary used as the cells' globals. That is what makes
list comprehensions, generator expressions, lambdas and nested functions
typed in the shell see the caller's local variables (with separate globals
and locals they cannot: IPython's long-standing NameError). Names defined
in the shell stay visible to later cells of the same ``embed()`` call; the
caller's own variables are not rebound.

On a terminal the session uses the full prompt (:mod:`shell.terminal.app`);
when stdin or stdout is not a terminal, from a thread other than the main
one, or inside a running asyncio loop, it uses the simple line-based prompt.
"""

from __future__ import annotations

import sys
import types

from shell.engine import Shell
from shell.terminal.simple import SimplePrompt


def embed(*, header: str = "", banner: str | None = None, colors: str | None = None,
          _stack_depth: int = 1) -> None:
    """Run an interactive shell on the caller's namespace until ``exit`` or end of input."""
    frame = sys._getframe(_stack_depth)
    namespace = dict(frame.f_globals)
    namespace.update(frame.f_locals)
    module = types.ModuleType(frame.f_globals.get("__name__", "__main__"))
    del frame  # no reference cycle through the caller's frame
    from shell.cli import choose_colors

    shell = Shell(user_ns=namespace, user_module=module, colors=choose_colors(colors))
    for text in (banner, header):
        if text:
            shell.write(text if text.endswith("\n") else text + "\n")
    if _full_prompt_possible():
        from shell.terminal.app import TerminalShell  # prompt_toolkit: only on this path

        TerminalShell(shell).interact(banner=False)
    else:
        SimplePrompt(shell).interact(banner=False)


def _full_prompt_possible() -> bool:
    """A terminal, the main thread (prompt_toolkit handles signals there), and no running asyncio loop."""
    import threading

    from shell.terminal import terminal_available

    if not terminal_available() or threading.current_thread() is not threading.main_thread():
        return False
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return True
        return False
    return True
