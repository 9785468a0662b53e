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

Like every session it starts through the bootstrap (:mod:`shell.session`):
``$HOCUS_DIR/config.py`` (then ``config=``, a traitlets Config, winning over
it), the configured extensions and the startup files, whose names join the
namespace without hiding the caller's own. It leaves the running program's
``__main__`` and signal handlers alone; the history of the embedded session
is written when it ends.

On a terminal the session uses the full prompt (:mod:`shell.terminal.app`);
when stdin or stdout is not a terminal, from a thread other than the main
one, or inside a running asyncio loop, it uses the simple line-based prompt.
"""

from __future__ import annotations

import sys
import types

from typing import TYPE_CHECKING, Any

from traitlets.config import Config

from shell.session import SessionBootstrap
from shell.terminal.simple import SimplePrompt

if TYPE_CHECKING:
    from shell.engine.shell import Shell


#: Call sites (file, line) where ``%kill_embedded`` was used: embed() no longer opens there.
_killed_call_sites: set[tuple[str, int]] = set()


def embed(*, header: str = "", banner: str | None = None, colors: str | None = None, config: Any = None,
          _stack_depth: int = 1) -> None:
    """Run an interactive shell on the caller's namespace until ``exit`` or end of input.

    ``config`` (a traitlets Config) wins over ``$HOCUS_DIR/config.py``;
    ``colors`` over both.
    """
    shell, site = _embedded_shell(sys._getframe(_stack_depth), header, banner, colors, config)
    if shell is None:
        return
    try:
        if _full_prompt_possible():
            from shell.terminal.app import TerminalShell  # prompt_toolkit: only on this path

            TerminalShell(shell).interact(banner=False)
        else:
            SimplePrompt(shell).interact(banner=False)
    finally:
        shell.history.close()  # this session's cells are on disk before the program goes on


async def embed_async(*, header: str = "", banner: str | None = None, colors: str | None = None,
                      config: Any = None, _stack_depth: int = 1) -> None:
    """``await embed_async()``: a shell inside a running asyncio program, which keeps running.

    The prompt reads input in a worker thread, so the program's tasks go on
    while you type; a cell that uses ``await`` runs on the program's own
    event loop. The simple line-based prompt is used.
    """
    import asyncio

    shell, site = _embedded_shell(sys._getframe(_stack_depth), header, banner, colors, config)
    if shell is None:
        return
    loop = asyncio.get_running_loop()
    shell.use_event_loop(loop)
    try:
        await loop.run_in_executor(None, lambda: SimplePrompt(shell).interact(banner=False))
    finally:
        shell.history.close()


def _embedded_shell(frame: types.FrameType, header: str, banner: str | None, colors: str | None,
                    config: Any) -> tuple[Shell | None, tuple[str, int]]:
    """The Shell for one embed() call on ``frame``'s names, or None when its call site was killed."""
    site = (frame.f_code.co_filename, frame.f_lineno)
    if site in _killed_call_sites:
        return None, site
    caller_names = dict(frame.f_globals)
    caller_names.update(frame.f_locals)
    namespace = dict(caller_names)
    module = types.ModuleType(frame.f_globals.get("__name__", "__main__"))
    del frame  # no reference cycle through the caller's frame
    from shell.cli import choose_colors
    from shell.terminal.images import show_images

    defaults = Config()
    defaults.Shell.colors = choose_colors(None)
    boot = SessionBootstrap(defaults=defaults, overrides=config)
    shell = boot.build_shell(user_ns=namespace, user_module=module, colors=colors)
    shell.front_end = "terminal"
    show_images(shell)
    built = dict(namespace)
    # Not the program's __main__ nor its signals: this session lives inside someone else's program.
    boot.start(shell, main_module=False, exit_flush=False)
    for name in caller_names:  # a startup file's name never hides one of the caller's
        if name in built and namespace.get(name) is not built[name]:
            namespace[name] = built[name]

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
