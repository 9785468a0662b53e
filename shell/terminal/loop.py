"""The read-eval-print loop, written once for every terminal prompt.

As CPython's ``code.InteractiveConsole.interact``, the loop is here and a
prompt overrides one method, :meth:`ReadEvalPrintLoop.read_cell` (its
``raw_input``)::

    class EchoPrompt(ReadEvalPrintLoop):
        def read_cell(self, offered: str | None = None) -> str:
            return input("> ")

    status = EchoPrompt(shell).run_loop()   # until exit, exit(N) or end of input

What a cell asks of the prompt comes back on its
:class:`~shell.engine.result.ExecutionResult`: the next input to offer
(``%load``) and the end of the session (``exit(3)``). The plain prompt
(:mod:`shell.terminal.simple`), the prompt_toolkit one
(:mod:`shell.terminal.app`) and the instant first prompt
(:mod:`shell.terminal.instant`, through :func:`run_typed_cell`) run cells
the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shell.engine.result import ExecutionResult
    from shell.engine.shell import Shell


def run_typed_cell(shell: Shell, cell: str) -> ExecutionResult | None:
    """Run a cell typed at a prompt, then a blank line; its result (None only if Ctrl-C beat the cell)."""
    try:
        result = shell.run_cell(cell)
        shell.write("\n")
    except KeyboardInterrupt:  # between cells, after run_cell reported
        shell.write("\nKeyboardInterrupt\n\n")
        return shell.last_execution_result
    return result


class ReadEvalPrintLoop:
    """Reads cells with :meth:`read_cell` and runs them on ``shell`` until ``exit`` or end of input.

    A mixin without ``__init__`` (so a traitlets Configurable can be a
    prompt too): a subclass sets ``shell``.
    """

    shell: Shell
    interrupted_at_prompt = "\nKeyboardInterrupt\n\n"
    """What Ctrl-C at the prompt writes (the input typed so far is dropped)."""

    def read_cell(self, offered: str | None = None) -> str:
        """Read one cell; ``offered`` is a cell's ``set_next_input`` text to offer. EOFError ends the loop."""
        raise NotImplementedError

    def leave_at_end_of_input(self) -> bool:
        """Whether Ctrl-D (end of input) ends the session; a prompt may ask first."""
        return True

    def run_loop(self) -> int:
        """Read and run cells until a cell asks to exit or input ends; return the exit status."""
        shell = self.shell
        last = shell.last_execution_result  # what ran before the loop (-c, a startup file, the instant prompt)
        if last is not None and last.exit_requested:
            return last.exit_code or 0
        offered = last.next_input if last is not None else None
        while True:
            try:
                cell = self.read_cell(offered)
            except KeyboardInterrupt:
                shell.write(self.interrupted_at_prompt)
                offered = None
                continue
            except EOFError:
                offered = None
                if not self.leave_at_end_of_input():
                    continue
                shell.write("\n")
                return 0
            offered = None
            if not cell.strip():
                continue
            result = run_typed_cell(shell, cell)
            if result is None:
                continue
            if result.exit_requested:
                return result.exit_code or 0
            offered = result.next_input
