"""``embed()`` and ``embed_async()``: open a hocus shell in the middle of a running program.

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

``%kill_embedded`` inside an embedded shell stops that call site from
opening again (useful for an ``embed()`` in a loop).

On a terminal the session uses the full prompt (:mod:`shell.terminal.app`);
when stdin or stdout is not a terminal, from a thread other than the main
one, or inside a running asyncio loop, it uses the simple line-based prompt.
"""

from __future__ import annotations

import sys
import types

from shell.engine import Shell
from shell.terminal.simple import SimplePrompt


#: Call sites (file, line) where ``%kill_embedded`` was used: embed() no longer opens there.
_killed_call_sites: set[tuple[str, int]] = set()


def embed(*, header: str = "", banner: str | None = None, colors: str | None = None,
          _stack_depth: int = 1) -> None:
    """Run an interactive shell on the caller's namespace until ``exit`` or end of input."""
    shell, site = _embedded_shell(sys._getframe(_stack_depth), header, banner, colors)
    if shell is None:
        return
    if _full_prompt_possible():
        from shell.terminal.app import TerminalShell  # prompt_toolkit: only on this path

        TerminalShell(shell).interact(banner=False)
    else:
        SimplePrompt(shell).interact(banner=False)


async def embed_async(*, header: str = "", banner: str | None = None, colors: str | None = None,
                      _stack_depth: int = 1) -> None:
    """``await embed_async()``: a shell inside a running asyncio program, which keeps running.

    The prompt reads input in a worker thread, so the program's tasks go on
    while you type; a cell that uses ``await`` runs on the program's own
    event loop. The simple line-based prompt is used.
    """
    import asyncio

    shell, site = _embedded_shell(sys._getframe(_stack_depth), header, banner, colors)
    if shell is None:
        return
    loop = asyncio.get_running_loop()
    shell.use_event_loop(loop)
    await loop.run_in_executor(None, lambda: SimplePrompt(shell).interact(banner=False))


def _embedded_shell(frame, header: str, banner: str | None, colors: str | None):
    """The Shell for one embed() call on ``frame``'s names, or None when its call site was killed."""
    site = (frame.f_code.co_filename, frame.f_lineno)
    if site in _killed_call_sites:
        return None, site
    namespace = dict(frame.f_globals)
    namespace.update(frame.f_locals)
    module = types.ModuleType(frame.f_globals.get("__name__", "__main__"))
    del frame  # no reference cycle through the caller's frame
    from shell.cli import choose_colors

    shell = Shell(user_ns=namespace, user_module=module, colors=choose_colors(colors))
    shell.front_end = "terminal"

    def kill_embedded(line: str) -> None:
        """Stop this embed() call site from opening again, and leave this embedded shell."""
        _killed_call_sites.add(site)
        shell.write(f"This embedded shell will not open again at {site[0]}:{site[1]}.\n")
        shell.ask_exit()

    shell.register_magic_function(kill_embedded, "line", "kill_embedded")
    for text in (banner, header):
        if text:
            shell.write(text if text.endswith("\n") else text + "\n")
    return shell, site


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
