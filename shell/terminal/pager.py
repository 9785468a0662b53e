"""Long help text through a pager: ``obj?``, ``obj??``, ``%page``, ``%config Class``.

Usage::

    shell.pager = TerminalPager(rows=lambda: shutil.get_terminal_size().lines)

Text that fits on the screen is simply printed. Longer text goes to
``$PAGER`` (default ``less -R``, which keeps colours) with the terminal in
its normal mode; if the pager cannot be started, the text is printed. The
terminal front end installs a pager only when stdout is a terminal, so
output into a pipe or a file is never paged.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from typing import Callable

__all__ = ["TerminalPager"]


class TerminalPager:
    """Callable ``pager(text)``: print it, or page it when it is taller than the screen."""

    def __init__(self, rows: Callable[[], int], *, command: str | None = None,
                 write: Callable[[str], None] | None = None):
        self.rows = rows
        self.command = command
        self.write = write or _write_stdout

    def __call__(self, text: str) -> None:
        if not text.endswith("\n"):
            text += "\n"
        if text.count("\n") < max(self.rows() - 1, 1):
            self.write(text)
            return
        command = self.command or os.environ.get("PAGER") or "less -R"
        try:
            args = shlex.split(command)
            sys.stdout.flush()
            proc = subprocess.Popen(args, stdin=subprocess.PIPE, encoding="utf-8", errors="replace")
        except (OSError, ValueError):
            self.write(text)
            return
        try:
            proc.communicate(text)
        except (BrokenPipeError, KeyboardInterrupt):
            proc.kill()
            proc.wait()


def _write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
