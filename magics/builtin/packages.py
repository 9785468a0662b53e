"""``%pip``: pip for the Python this shell runs in.

Usage::

    %pip install requests
    %pip list
    %pip install $package            # $name and {expr} are expanded

A bare ``!pip`` may belong to another Python on ``$PATH``; ``%pip`` always
runs ``sys.executable -m pip``, so packages land where ``import`` looks.
Output streams live through ``shell.system``, like ``!cmd``.
"""

from __future__ import annotations

import shlex
import sys

from magics.base import Magics
from magics.decorators import expand_vars, line_magic
from magics.errors import UsageError

# Subcommands after which modules already imported may be stale.
_CHANGES_PACKAGES = {"install", "uninstall"}

RESTART_NOTE = "Note: you may need to restart hocus (or the kernel) to use updated packages."


def pip_command(args: str, python: str | None = None) -> str:
    """The shell command that runs pip with ``args`` for ``python`` (default: this interpreter)."""
    python = python or sys.executable
    quoted = f'"{python}"' if sys.platform == "win32" else shlex.quote(python)
    return f"{quoted} -m pip {args}"


class PackageMagics(Magics):
    """Installing and inspecting packages of the running interpreter."""

    @expand_vars
    @line_magic
    def pip(self, line: str = "") -> None:
        """Run pip for the Python this shell runs in: ``%pip install PACKAGE``.

        Takes the same arguments as the ``pip`` command. After ``install`` or
        ``uninstall``, modules already imported keep their old code until
        the shell (or kernel) restarts.
        """
        if not line.strip():
            raise UsageError("%pip: give pip's arguments, e.g. %pip install requests or %pip list")
        self.shell.system(pip_command(line.strip()))
        words = line.split()
        subcommand = next((w for w in words if not w.startswith("-")), "")
        if subcommand in _CHANGES_PACKAGES:
            self.shell.write(RESTART_NOTE + "\n")
