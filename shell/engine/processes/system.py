"""Running programs for ``!cmd``, ``!!cmd``, ``%sx`` and the script magics (``%%bash``...).

Usage::

    run("ls -l", output, shell=True).returncode                   # !ls -l: streams, returns 0
    run("ls", output, shell=True, capture_stdout=True).stdout      # !!ls: 'a.txt\\nb.txt\\n'
    run(["bash"], output, input="echo hi\\n")                      # %%bash: the cell on stdin
    proc = start_background(["bash"], output, input="sleep 5\\n")  # %%bash --bg

Why it works the way it does:

- **Live output.** A streamed child's stdout is a pseudo-terminal, so
  programs that buffer a pipe (Python, grep, awk...) still print line by line
  and ``!ls`` lays out columns as in a terminal; output post-processing is
  off, so ``\\n`` stays ``\\n``. stderr is a pipe of its own, so the two
  streams reach :meth:`Output.write` and :meth:`Output.write_err` apart.
  Captured output uses plain pipes: no colours, one ``ls`` entry per line.
- **One thread.** Output is read with a selector in the calling thread and
  written through the :class:`~shell.engine.io.Output` seam as it arrives,
  so the terminal prints it and the kernel sends it as stream messages of
  the running cell, with no front-end code of their own.
- **Nothing to copy.** When the seam is the plain :class:`StdStreams` and
  ``sys.stdout``/``sys.stderr`` are still the process's own, copying would
  move each byte from the child to the very descriptor it could write to
  itself; then the child inherits hocus's stdout and stderr (after they are
  flushed) and its environment as they are, as in IPython's terminal: in a
  terminal, pagers (``!git log``) and full-screen programs work. Any other
  seam (the kernel, ``%%capture``, a test's) gets the pumped output above.
- **stdin.** The child gets the terminal when hocus's own stdin is one
  (``!cat``, ``read``, a password prompt on stdin work), else ``/dev/null``:
  in the kernel or with piped input, a child must not swallow the cells
  that follow. A script magic's cell is written to the child's stdin.
- **Ctrl-C.** The child runs in a session of its own, out of the
  terminal's foreground group, so Ctrl-C reaches hocus only. hocus then
  ends the child's whole process group: SIGINT first (a ``trap`` can clean
  up), SIGTERM, SIGKILL, all within a second, showing what the child still
  prints meanwhile, and re-raises KeyboardInterrupt for the cell.
  When hocus itself ends, however it ends (a forced kernel restart, kill
  -9), its children's groups end too (:mod:`shell.engine.processes.child_watchdog`).
  Having no controlling terminal, a child cannot open ``/dev/tty`` (so
  ``sudo`` cannot ask for a password); with pumped output, pagers are
  turned off (``PAGER=cat``, ``GIT_PAGER=cat``) as in ipykernel.
- **Background jobs.** A run ends when the child exits (pumped output:
  after at most :data:`~shell.engine.processes.output_pump.DRAIN_AFTER_EXIT` more
  for output still in flight); ``!server &`` keeps running, but with
  pumped output what it prints later is not shown.
"""

from __future__ import annotations

import functools
import locale
import os
import subprocess
import sys
import threading
from typing import IO, Callable, Sequence

from shell.engine.processes.child_watchdog import child_watchdog
from shell.engine.io import Output, StdStreams
from shell.engine.processes.output_pump import PumpedChild
from shell.engine.processes.process_group import group_gone, interrupt_deferred, stop_process_group, wait_for_exit
from shell.engine.processes.slist import SList

CHILD_ENV = {"PAGER": "cat", "GIT_PAGER": "cat"}
"""Set for children whose output is pumped: a pager there would wait for keys that never come."""


def user_shell() -> str:
    """The shell that runs ``!`` commands: ``$SHELL`` when it exists, else ``/bin/sh``."""
    candidate = os.environ.get("SHELL", "")
    return candidate if candidate and os.path.exists(candidate) else "/bin/sh"


def run(command: str | Sequence[str], output: Output, *, shell: bool = False, input: str | None = None,
        capture_stdout: bool = False, capture_stderr: bool = False) -> subprocess.CompletedProcess:
    """Run a program in the foreground; stream what is not captured; return its status and captures.

    ``command`` is a shell command line (``shell=True``) or an argument list.
    Raises ``OSError`` (``FileNotFoundError``, ``PermissionError``) when the
    program cannot start, and KeyboardInterrupt after stopping the child.
    """
    if not (capture_stdout or capture_stderr) and _is_own_stdio(output):
        return subprocess.CompletedProcess(command, _run_on_own_stdio(command, shell=shell, input=input))
    options = {"shell": shell, "executable": user_shell() if shell else None, "env": _child_env(),
               "stdin": _inherited_stdin()}
    child = None
    try:  # from before the child exists: a Ctrl-C at any moment must find it and stop it
        with interrupt_deferred():
            child = PumpedChild(command, options, output, input=input, capture_stdout=capture_stdout,
                                capture_stderr=capture_stderr, encoding=_ENCODING)
        returncode = child.wait()
    except KeyboardInterrupt:
        if child is not None:
            child.stop()  # nothing left to do when wait() stopped it already
        raise
    return subprocess.CompletedProcess(command, returncode, child.stdout.text if capture_stdout else None,
                                       child.stderr.text if capture_stderr else None)


def run_streaming(command: str, output: Output) -> int:
    """``!cmd``: run ``command`` in the user's shell, streaming its output; return its status."""
    return exit_code(run(command, output, shell=True).returncode)


def capture(command: str, output: Output | None = None) -> tuple[SList, int]:
    """``!!cmd``: run ``command`` and return its stdout lines; stderr is shown as it comes."""
    result = run(command, output or _DISCARD, shell=True, capture_stdout=True)
    return SList(result.stdout.splitlines()), exit_code(result.returncode)


def exit_code(status: int) -> int:
    """``_exit_code`` as IPython reports it: a shell's 128+N for "killed by signal N" becomes -N."""
    return -(status - 128) if status > 128 else status


def start_background(command: str | Sequence[str], output: Output, *, shell: bool = False,
                     input: str | None = None, capture_stdout: bool = False,
                     capture_stderr: bool = False) -> subprocess.Popen:
    """Start a program and return at once (``%%bash --bg``).

    Streams that are not captured are copied to ``output`` by daemon
    threads; captured ones stay readable as ``proc.stdout``/``proc.stderr``
    (text). The child never reads the terminal: its stdin is ``input`` or
    ``/dev/null``.
    """
    proc = None
    try:
        with interrupt_deferred():
            proc = subprocess.Popen(command, shell=shell, executable=user_shell() if shell else None,
                                    stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_child_env(),
                                    start_new_session=True, text=True, errors="replace", bufsize=1)
            child_watchdog.watch(proc.pid)
    except KeyboardInterrupt:
        if proc is not None:
            stop_process_group(proc)
        raise
    assert proc.stdout is not None and proc.stderr is not None  # the pipes asked for above
    feeders: list[Callable[[], None]] = []
    if input is not None:
        assert proc.stdin is not None  # a pipe when there is input
        feeders.append(functools.partial(_feed_stdin, proc.stdin, input))
    if not capture_stdout:
        feeders.append(functools.partial(_copy_lines, proc.stdout, output.write))
    if not capture_stderr:
        feeders.append(functools.partial(_copy_lines, proc.stderr, output.write_err))
    for feeder in feeders:
        threading.Thread(target=feeder, daemon=True, name=f"hocus-bg-{proc.pid}").start()
    return proc


# -- the child on hocus's own stdout and stderr -------------------------------------------------


def _is_own_stdio(output: Output) -> bool:
    """Whether ``output`` only copies to this process's own stdout/stderr (the plain terminal)."""
    return (type(output) is StdStreams and sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__
            and sys.stdout is not None and sys.stderr is not None)


def _run_on_own_stdio(command: str | Sequence[str], *, shell: bool, input: str | None) -> int:
    """Let the child write to hocus's stdout and stderr itself: the same bytes, no copying."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # what the cell printed so far comes first
    proc = None
    try:  # from before the child exists: a Ctrl-C at any moment must find it and stop it
        with interrupt_deferred():
            proc = subprocess.Popen(command, shell=shell, executable=user_shell() if shell else None,
                                    stdin=subprocess.PIPE if input is not None else _inherited_stdin(),
                                    start_new_session=True)
            child_watchdog.watch(proc.pid)
        if input is not None:
            assert proc.stdin is not None  # a pipe when there is input
            try:
                proc.stdin.write(input.encode(_ENCODING))
                proc.stdin.close()
            except OSError:  # the child closed its stdin early (BrokenPipeError): it has had enough
                pass
        return wait_for_exit(proc)
    except KeyboardInterrupt:
        if proc is not None:
            stop_process_group(proc)
        raise
    finally:
        if proc is not None and group_gone(proc):  # else a job it left in the background still ends with us
            child_watchdog.release(proc.pid)


# -- helpers -----------------------------------------------------------------------------------

_ENCODING = locale.getpreferredencoding(False) or "utf-8"


class _Discard:
    """An Output seam for ``capture(command)`` without one: stderr goes nowhere."""

    def write(self, text: str) -> None:
        pass

    def write_err(self, text: str) -> None:
        pass


_DISCARD = _Discard()


def _child_env() -> dict:
    """This process's environment plus :data:`CHILD_ENV` (as bytes where possible: cheaper to pass on)."""
    if os.supports_bytes_environ:
        env = dict(os.environb)
        env.update((k.encode(), v.encode()) for k, v in CHILD_ENV.items())
        return env
    return {**os.environ, **CHILD_ENV}


def _inherited_stdin() -> int | None:
    """The terminal when hocus reads one, so the child can too; otherwise /dev/null."""
    try:
        return None if sys.stdin is not None and os.isatty(sys.stdin.fileno()) else subprocess.DEVNULL
    except (AttributeError, OSError, ValueError):  # replaced or closed stdin (the kernel, tests)
        return subprocess.DEVNULL


def _feed_stdin(stdin: IO[str], text: str) -> None:
    try:
        stdin.write(text)
        stdin.close()
    except (BrokenPipeError, OSError, ValueError):
        pass


def _copy_lines(stream: IO[str], write: Callable[[str], None]) -> None:
    try:
        for line in stream:
            write(line)
    except (OSError, ValueError):
        pass
    finally:
        stream.close()
