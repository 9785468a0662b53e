"""How a session reports errors: one line for usage errors, tracebacks for the rest, ``%pdb``.

:class:`ErrorReports` is mixed into :class:`~shell.engine.shell.Shell`.
``run_cell`` hands it what a cell raised; the text goes to the front end
through the shell's ``write_error`` (the kernel sends one ``error``
message), and ``sys.last_exc`` and friends are set for ``%debug``. The debugger
itself is :mod:`shell.engine.debugging.debugger` (made by :mod:`shell.engine.debugging.session`).
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Callable, cast

from magics.errors import UsageError

if TYPE_CHECKING:
    import pdb

    from shell.engine.io import DebuggerPrompt
    from shell.engine.shell import Shell
    from shell.engine.tracebacks.formatter import TracebackFormatter


class ErrorReports:
    """Reporting what a cell raised, and showing a traceback again (``%tb``)."""

    tracebacks: TracebackFormatter
    last_error: BaseException | None
    write_error: Callable[[BaseException, str], None]
    call_pdb: bool

    def _report_syntax_error(self, err: BaseException) -> None:
        self.last_error = err
        if isinstance(err, SyntaxError):
            self.write_error(err, self.tracebacks.format_exception_only(err))
        else:
            self.write_error(err, f"{type(err).__name__}: {err}\n")

    def _report_exception(self, err: BaseException) -> None:
        if isinstance(err, UsageError):
            # one line; a subclass may name itself (a script magic's exit shows as CalledProcessError)
            self.write_error(err, f"{getattr(err, 'display_name', 'UsageError')}: {err}\n")
            return
        bdb = sys.modules.get("bdb")  # loaded with the debugger; nothing else raises BdbQuit
        if bdb is not None and isinstance(err, bdb.BdbQuit):
            return  # `q` at a breakpoint() stop: the user ended the cell, which IPython reports with nothing
        self.last_error = err
        sys.last_type, sys.last_value, sys.last_traceback = type(err), err, err.__traceback__
        if hasattr(sys, "last_exc"):
            sys.last_exc = err
        if isinstance(err, KeyboardInterrupt):  # where the cell stopped, as IPython shows it; no %pdb
            self.showtraceback(err)
            return
        if isinstance(err, SystemExit):
            self.write_error(err, "An exception has occurred, use %tb to see the full traceback.\n\n"
                             + self.tracebacks.format_exception_only(err))
            return
        self.showtraceback(err)
        if self.call_pdb:
            self.debugger(err.__traceback__)

    def showtraceback(self, exc: BaseException | None = None, *, mode: str | None = None) -> None:
        """Print the traceback of ``exc`` (default: the one being handled, or the last error);
        ``mode``: in that traceback mode this once (``%tb Verbose``)."""
        exc = exc or sys.exc_info()[1] or self.last_error
        if exc is None:
            return
        saved = self.tracebacks.mode
        try:
            if mode:
                self.tracebacks.mode = mode
            text = self.tracebacks.format(exc)
        finally:
            self.tracebacks.mode = saved
        self.write_error(exc, text)

    debugger_prompt: DebuggerPrompt | None = None
    """How the debugger reads its commands, when the front end has its own way (the terminal's
    prompt with Tab completion); None: with ``input()``."""

    def debugger(self, tb: types.TracebackType | None) -> None:
        """Post-mortem debugging on ``tb`` (``%pdb``, ``%debug``), in the session's debugger."""
        from shell.engine.debugging.session import post_mortem

        post_mortem(cast("Shell", self), tb)

    def new_debugger(self, *, stop_at_start: bool = True) -> pdb.Pdb:
        """The session's debugger, to run code under (``%debug statement``, ``%run -d``): pdb's
        commands, coloured source, Tab completion in the frame; ``stop_at_start`` False: ``run``
        goes on to the first breakpoint instead of stopping at the code's first line."""
        from shell.engine.debugging.session import new_debugger

        return new_debugger(cast("Shell", self), stop_at_start=stop_at_start)
