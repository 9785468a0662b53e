"""The plain line-based prompt: ``In [N]:`` / ``   ...:`` over the engine.

It reads lines with :func:`input` (so GNU readline editing works when stdin
is a terminal, and piped input works when it is not), asks the engine's
``is_complete`` whether the cell is finished, runs it, and shows results as
``Out[N]: ...``. Ctrl-C at the prompt drops the current input; Ctrl-D ends
the session.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from shell import __version__
from shell.terminal.loop import ReadEvalPrintLoop

if TYPE_CHECKING:
    from shell.engine.shell import Shell


def banner() -> str:
    version = sys.version.split()[0]
    return (f"hocus {__version__} (Python {version})\n"
            "Type '?' for help, '%quickref' for a quick reference, 'obj?' for help on an object.\n")


class SimplePrompt(ReadEvalPrintLoop):
    """The read-eval-print loop over a :class:`~shell.engine.Shell`, reading one line at a time."""

    def __init__(self, shell: Shell, *, in_prompt: str = "In [{n}]: ", continuation: str = "   ...: "):
        self.shell = shell
        self.in_prompt = in_prompt
        self.continuation = continuation

    def interact(self, banner: bool = True) -> int:
        """Run until exit or end of input; return the exit status."""
        if banner:
            self.shell.write(globals()["banner"]() + "\n")
        return self.run_loop()

    def read_cell(self, offered: str | None = None) -> str:
        """Read lines until the engine says the cell is complete (or invalid).

        A cell offered by ``set_next_input`` (``%load``, ``%recall``) is shown
        after the prompt; an empty line runs it, anything else is a new cell.
        """
        prompt = self.in_prompt.format(n=self.shell.execution_count)
        if offered:
            shown = offered.rstrip("\n").replace("\n", "\n" + self.continuation)
            self.shell.write(f"{prompt}{shown}\n")
            first = self._input(f"{self.continuation}(Enter runs the cell above; or type a new one) ")
            if not first.strip():
                return offered
            lines = [first]
        else:
            lines = [self._input(prompt)]
        while True:
            source = "\n".join(lines)
            if not source.strip():
                return source
            # An empty line means "that block is done": judge the cell as ending in a blank line.
            ended = source + "\n" if not lines[-1].strip() and len(lines) > 1 else source
            status = self.shell.is_complete(ended).status
            if status != "incomplete":
                return source
            lines.append(self._input(self.continuation))

    @staticmethod
    def _input(prompt: str) -> str:
        sys.stdout.flush()
        return input(prompt)
