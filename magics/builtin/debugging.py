"""Debugging magics: ``%xmode``, ``%pdb``, ``%debug``/``%%debug``, ``%tb``.

Usage::

    %xmode Plain                    # traceback style; no argument cycles through the modes
    %pdb on                         # post-mortem debugger after every exception
    %debug                          # post-mortem on the last exception
    %debug f(3)                     # step through a statement from its first line
    %debug --breakpoint mod.py:12 f(3)   # run it, stopping at a breakpoint
    %tb Verbose                     # the last traceback again, in any mode

Post-mortem debugging goes through ``shell.debugger(tb)`` and running a
statement through ``shell.new_debugger()``: the shell's debugger is pdb
showing coloured source in context, and its front end decides how it reads
commands (the terminal's prompt completes names in the frame with Tab; a
kernel answers pdb's ``input()`` over its stdin channel).
"""

from __future__ import annotations

import inspect
import os

from magics.arguments import argument, magic_arguments, parse_argstring, rest
from magics.base import Magics
from magics.builtin.meta import parse_switch
from magics.decorators import line_cell_magic, line_magic, needs_local_scope, no_var_expand
from magics.errors import UsageError

MODES = ("Plain", "Context", "Verbose", "Minimal")


def check_mode(name: str, magic: str) -> str:
    """The canonical spelling of a traceback mode, or a one-line UsageError."""
    for mode in MODES:
        if name.strip().lower() == mode.lower():
            return mode
    raise UsageError(f"%{magic}: unknown mode {name.strip()!r}; choose one of {', '.join(MODES)}")


class DebuggingMagics(Magics):
    """Traceback modes, automatic post-mortem, running code under pdb."""

    @line_magic
    def xmode(self, line: str = "") -> None:
        """Switch the exception reporting mode: Plain, Context, Verbose or Minimal.

        With no argument, cycle to the next mode in that order.
        """
        if line.strip():
            mode = check_mode(line, "xmode")
        else:
            current = self.shell.xmode
            mode = MODES[(MODES.index(current) + 1) % len(MODES)] if current in MODES else MODES[0]
        self.shell.xmode = mode  # the setting: %config Shell shows it, tracebacks follow it
        self.shell.write(f"Exception reporting mode: {mode}\n")

    @line_magic
    def pdb(self, line: str = "") -> None:
        """Turn the automatic post-mortem debugger on or off: ``%pdb [on|off|1|0]``.

        When on, every exception a cell raises opens pdb at the frame that
        raised it. With no argument, toggle.
        """
        on = not self.shell.call_pdb if not line.strip() else parse_switch(line, "pdb")
        self.shell.call_pdb = on
        self.shell.write(f"Automatic pdb calling has been turned {'ON' if on else 'OFF'}\n")

    @magic_arguments()
    @argument("--breakpoint", "-b", metavar="FILE:LINE",
              help="run until this breakpoint instead of stopping at the first line "
                   "(a bare LINE is a line of the code being debugged)")
    @rest("statement", help="code to run under the debugger")
    @no_var_expand
    @needs_local_scope
    @line_cell_magic
    def debug(self, line: str = "", cell: str | None = None, local_ns: dict | None = None) -> None:
        """Debug the last exception post-mortem, or run code under the debugger.

        ``%debug`` alone opens pdb where the last exception was raised.
        ``%debug statement`` and ``%%debug`` over a cell run the code in the
        user namespace under pdb, stopping at its first line, or only at
        ``--breakpoint FILE:LINE`` when given. Enter ``c`` to continue.
        """
        args = parse_argstring(self.debug, line)
        code = args.statement or ""
        if cell is not None:
            code = f"{code}\n{cell}" if code.strip() else cell
        if not code.strip() and not args.breakpoint:
            self._post_mortem()
            return
        if not code.strip():
            raise UsageError("%debug: --breakpoint needs code to run, e.g. %debug -b mod.py:12 main()")
        self._run_debugged(code, args.breakpoint, local_ns)

    def _post_mortem(self) -> None:
        err = self.shell.last_error
        if err is None or err.__traceback__ is None:
            self.shell.write_err("No traceback has been produced, nothing to debug.\n")
            return
        if isinstance(err, SyntaxError):  # its traceback is the compiler's, not the user's code
            self.shell.write_err("The last error was a SyntaxError: no code ran, nothing to debug.\n")
            return
        self.shell.debugger(err.__traceback__)

    def _run_debugged(self, code: str, breakpoint: str | None, local_ns: dict | None) -> None:
        source = self.shell.transform_cell(code)
        filename = self.shell.cell_filename(code if source == code else source)
        try:
            compiled = self.shell.compile_cell(self.shell.parse_cell(source, filename), filename)
        except SyntaxError as err:
            raise UsageError(f"%debug: SyntaxError: {err.msg} (line {err.lineno})") from None
        if compiled.co_flags & inspect.CO_COROUTINE:
            raise UsageError("%debug: cannot step through top-level await; put the code in a function")
        debugger = self.shell.new_debugger(stop_at_start=breakpoint is None)
        if breakpoint:
            where, _, number = breakpoint.rpartition(":")
            if not number.isdigit():
                raise UsageError(f"%debug: breakpoint must be FILE:LINE or LINE, not {breakpoint!r}")
            target = os.path.abspath(os.path.expanduser(where)) if where else filename
            problem = debugger.set_break(target, int(number))
            if problem:
                raise UsageError(f"%debug: {problem}")
        self.shell.write(f"NOTE: Enter 'c' at the {debugger.prompt.strip()} prompt to continue execution.\n")
        namespace = self.shell.user_ns
        try:
            debugger.run(compiled, namespace, local_ns)
        finally:
            # pdb stores a frame's return value or exception in f_locals, which
            # at module level is the user namespace; do not leave them there.
            for name in ("__return__", "__exception__"):
                namespace.pop(name, None)

    @line_magic
    def tb(self, line: str = "") -> None:
        """Show the last traceback again: ``%tb [Plain|Context|Verbose|Minimal]``.

        The mode given applies to this traceback only; ``%xmode`` changes it for good.
        """
        mode = check_mode(line, "tb") if line.strip() else None
        err = self.shell.last_error
        if err is None:
            self.shell.write_err("No traceback available to show.\n")
            return
        if isinstance(err, SyntaxError):  # shown as when it happened: where, caret, message
            self.shell.write_err(self.shell.format_exception_only(err))
            return
        self.shell.showtraceback(err, mode=mode)
