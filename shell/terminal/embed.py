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

Until the prompt_toolkit front end lands, the session uses the simple
line-based prompt, which also works when stdin is not a terminal.
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
    SimplePrompt(shell).interact(banner=False)
