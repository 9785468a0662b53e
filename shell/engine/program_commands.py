"""Running programs from a session: ``!cmd``, ``%%bash`` and magics that start processes.

:class:`ProgramCommands` is mixed into :class:`~shell.engine.shell.Shell`.
:mod:`shell.engine.processes.system` (subprocess and friends) is imported on the
first command, never at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import subprocess

    from shell.engine.io import Output
    from shell.engine.processes.slist import SList


class ProgramCommands:
    """``system``, ``getoutput`` and the process verbs of the magics surface."""

    user_ns: dict[str, Any]
    output: Output

    def system(self, command: str) -> int:
        """Run a shell command, streaming its output; the status goes into ``_exit_code``."""
        from shell.engine.processes import system  # subprocess and friends: loaded on the first command

        status = system.run_streaming(command, self.output)
        self.user_ns["_exit_code"] = status
        return status

    def getoutput(self, command: str) -> SList:
        """Run a shell command and return its output lines as an ``SList``."""
        from shell.engine.processes import system

        lines, status = system.capture(command, self.output)
        self.user_ns["_exit_code"] = status
        return lines

    def run_process(self, args: str | Sequence[str], *, shell: bool = False, input: str | None = None,
                    capture_stdout: bool = False, capture_stderr: bool = False) -> subprocess.CompletedProcess[str]:
        """Run a program as ``!`` does (live output, Ctrl-C stops its group); a CompletedProcess."""
        from shell.engine.processes import system

        return system.run(args, self.output, shell=shell, input=input,
                          capture_stdout=capture_stdout, capture_stderr=capture_stderr)

    def start_process(self, args: str | Sequence[str], *, shell: bool = False, input: str | None = None,
                      capture_stdout: bool = False, capture_stderr: bool = False) -> subprocess.Popen[str]:
        """Start a program in the background and return its Popen; uncaptured output is shown."""
        from shell.engine.processes import system

        return system.start_background(args, self.output, shell=shell, input=input,
                                       capture_stdout=capture_stdout, capture_stderr=capture_stderr)

    def stop_processes(self, procs: Sequence[subprocess.Popen[str]]) -> None:
        """End programs from :meth:`start_process` and their process groups: SIGINT, SIGTERM, then SIGKILL."""
        from shell.engine.processes.process_group import stop_process_group

        stop_process_group(*procs)
