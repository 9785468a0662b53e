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
- **stdin.** The child gets the terminal when hocus's own stdin is one
  (``!cat``, ``read``, a password prompt on stdin work), else ``/dev/null``:
  in the kernel or with piped input, a child must not swallow the cells
  that follow. A script magic's cell is written to the child's stdin.
- **Ctrl-C.** The child runs in a session of its own, out of the
  terminal's foreground group, so Ctrl-C reaches hocus only. hocus then
  ends the child's whole process group: SIGINT first (a ``trap`` can clean
  up), SIGTERM, SIGKILL, all within a second, showing what the child still
  prints meanwhile, and re-raises KeyboardInterrupt for the cell.
  Having no controlling terminal, a child cannot open ``/dev/tty``: full-screen
  programs (``vim``, ``less``, ``top``) and ``sudo``'s password prompt need
  a real terminal, and pagers are turned off (``PAGER=cat``, ``GIT_PAGER=cat``).
- **Background jobs.** A run ends when the child exits, after at most
  :data:`DRAIN_AFTER_EXIT` more for output still in flight; ``!server &``
  keeps running, but what it prints later is not shown.
"""

from __future__ import annotations

import codecs
import errno
import locale
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from typing import Callable, Sequence

from shell.engine.io import Output, StdStreams
from shell.engine.slist import SList

STOP_SIGNALS: tuple[tuple[signal.Signals, float], ...] = (
    (signal.SIGINT, 0.4), (signal.SIGTERM, 0.25), (signal.SIGKILL, 0.15))
"""Signals sent to an interrupted child's group, each with how long to wait for it to work."""

DRAIN_AFTER_EXIT = 0.1
"""Seconds to keep reading after the child exited, for output its background jobs still write."""

CHILD_ENV = {"PAGER": "cat", "GIT_PAGER": "cat"}
"""Set for every child: a pager cannot work without a controlling terminal."""

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
    with _InterruptHeld() as held:
        child = _ForegroundChild(command, output, shell=shell, input=input,
                                 capture_stdout=capture_stdout, capture_stderr=capture_stderr)
    returncode = child.wait(interrupted=held.pending)
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
    with _InterruptHeld() as held:
        proc = subprocess.Popen(command, shell=shell, executable=user_shell() if shell else None,
                                stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_child_env(),
                                start_new_session=True, text=True, errors="replace", bufsize=1)
    if held.pending:
        stop_process_group(proc)
        raise KeyboardInterrupt
    feeders = []
    if input is not None:
        feeders.append((_feed_stdin, (proc.stdin, input)))
    if not capture_stdout:
        feeders.append((_copy_lines, (proc.stdout, output.write)))
    if not capture_stderr:
        feeders.append((_copy_lines, (proc.stderr, output.write_err)))
    for target, args in feeders:
        threading.Thread(target=target, args=args, daemon=True, name=f"hocus-bg-{proc.pid}").start()
    return proc


def stop_process_group(proc: subprocess.Popen) -> None:
    """End ``proc`` and everything in its process group: SIGINT, then SIGTERM, then SIGKILL.

    Another Ctrl-C while waiting moves on to the next signal at once.
    """
    for sig, grace in STOP_SIGNALS:
        if _group_gone(proc):
            return
        _signal_group(proc.pid, sig)
        deadline = time.monotonic() + grace
        try:
            while time.monotonic() < deadline and not _group_gone(proc):
                time.sleep(0.01)
        except KeyboardInterrupt:
            continue


# -- the child on hocus's own stdout and stderr -------------------------------------------------


def _is_own_stdio(output: Output) -> bool:
    """Whether ``output`` only copies to this process's own stdout/stderr (the plain terminal)."""
    return (type(output) is StdStreams and sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__
            and sys.stdout is not None and sys.stderr is not None)


def _run_on_own_stdio(command, *, shell: bool, input: str | None) -> int:
    """Let the child write to hocus's stdout and stderr itself: the same bytes, no copying."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # what the cell printed so far comes first
    with _InterruptHeld() as held:
        proc = subprocess.Popen(command, shell=shell, executable=user_shell() if shell else None,
                                stdin=subprocess.PIPE if input is not None else _inherited_stdin(),
                                env=_child_env(), start_new_session=True)
    try:
        if held.pending:
            raise KeyboardInterrupt
        if input is not None:
            try:
                proc.stdin.write(input.encode(_ENCODING))
                proc.stdin.close()
            except OSError:  # the child closed its stdin early (BrokenPipeError): it has had enough
                pass
        return proc.wait()
    except KeyboardInterrupt:
        stop_process_group(proc)
        raise


# -- the foreground child -------------------------------------------------------------------


class _Stream:
    """One output channel of a child: read without blocking, decoded, handed on or collected."""

    def __init__(self, file, sink: Callable[[str], None] | None):
        self.file = file
        self.fd = file.fileno()
        self.sink = sink
        self.open = True
        self._chunks: list[str] = []
        self._decoder = codecs.getincrementaldecoder(_ENCODING)(errors="replace")
        os.set_blocking(self.fd, False)

    def read(self) -> None:
        """Move what is available now; at end of file, close."""
        try:
            data = os.read(self.fd, 65536)
        except BlockingIOError:
            return
        except OSError as err:
            if err.errno != errno.EIO:  # EIO: a pty whose other side is closed, i.e. end of file
                raise
            data = b""
        if data:
            self._deliver(self._decoder.decode(data))
        else:
            self.close()

    def close(self) -> None:
        if self.open:
            self.open = False
            self._deliver(self._decoder.decode(b"", final=True))
            self.file.close()

    @property
    def text(self) -> str:
        return "".join(self._chunks)

    def _deliver(self, text: str) -> None:
        if not text:
            return
        if self.sink is None:
            self._chunks.append(text)
        else:
            self.sink(text)


class _ForegroundChild:
    """A child whose output is pumped in the calling thread until it exits or is stopped."""

    def __init__(self, command, output: Output, *, shell: bool, input: str | None,
                 capture_stdout: bool, capture_stderr: bool):
        master, slave = (None, None) if capture_stdout else _open_pty()
        try:
            self.proc = subprocess.Popen(
                command, shell=shell, executable=user_shell() if shell else None,
                stdin=subprocess.PIPE if input is not None else _inherited_stdin(),
                stdout=slave if slave is not None else subprocess.PIPE, stderr=subprocess.PIPE,
                env=_child_env(), start_new_session=True)
        except BaseException:
            for fd in (master, slave):
                if fd is not None:
                    os.close(fd)
            raise
        if slave is not None:
            os.close(slave)  # the child's copy is the only one: end of file when it and its jobs exit
        stdout_file = open(master, "rb", buffering=0) if master is not None else self.proc.stdout
        self.stdout = _Stream(stdout_file, None if capture_stdout else output.write)
        self.stderr = _Stream(self.proc.stderr, None if capture_stderr else output.write_err)
        self._input = (input or "").encode(_ENCODING) if input is not None else None
        self._selector = selectors.DefaultSelector()
        for stream in (self.stdout, self.stderr):
            self._selector.register(stream.fd, selectors.EVENT_READ, stream)
        if self._input is not None:
            os.set_blocking(self.proc.stdin.fileno(), False)
            self._selector.register(self.proc.stdin.fileno(), selectors.EVENT_WRITE, "stdin")
        self._pidfd = _pidfd(self.proc.pid)
        if self._pidfd is not None:
            self._selector.register(self._pidfd, selectors.EVENT_READ, "exit")

    def wait(self, interrupted: bool = False) -> int:
        """Pump output until the child exits; on Ctrl-C (or ``interrupted``) stop its group and raise."""
        try:
            if interrupted:
                raise KeyboardInterrupt
            self._pump(self._finished, deadline=None)
        except KeyboardInterrupt:
            self._stop()
            raise
        finally:
            self._close()
        return self.proc.returncode

    # -- pumping ---------------------------------------------------------------------------
    _exited_at: float | None = None

    def _finished(self) -> bool:
        """The child has exited, and its output is read or has had its chance to arrive."""
        if self.proc.poll() is None:
            return False
        now = time.monotonic()
        if self._exited_at is None:
            self._exited_at = now
        return not (self.stdout.open or self.stderr.open) or now - self._exited_at >= DRAIN_AFTER_EXIT

    def _pump(self, done: Callable[[], bool], deadline: float | None, poll: float | None = None) -> None:
        """Move data between the child and the Output seam until ``done()`` or ``deadline``.

        ``poll`` bounds each wait, for conditions no descriptor signals (a
        process group emptying).
        """
        while not done():
            timeout = poll
            if self._pidfd is None and self.proc.returncode is None:  # no exit event: poll for it
                timeout = 0.05 if timeout is None else min(timeout, 0.05)
            if deadline is None and self._exited_at is not None:
                timeout = max(0.0, self._exited_at + DRAIN_AFTER_EXIT - time.monotonic())
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                timeout = left if timeout is None else min(timeout, left)
            for key, _ in self._selector.select(timeout):
                self._handle(key)

    def _handle(self, key: selectors.SelectorKey) -> None:
        if key.data == "exit":
            self._selector.unregister(key.fd)  # stays readable from now on
            self.proc.poll()
        elif key.data == "stdin":
            self._write_input(key.fd)
        else:
            key.data.read()
            if not key.data.open:
                self._selector.unregister(key.fd)

    def _write_input(self, fd: int) -> None:
        try:
            written = os.write(fd, self._input[:65536])
        except BlockingIOError:
            return
        except OSError:  # the child closed its stdin early (BrokenPipeError): it has had enough
            written = len(self._input)
        self._input = self._input[written:]
        if not self._input:
            self._selector.unregister(fd)
            self.proc.stdin.close()

    # -- stopping --------------------------------------------------------------------------
    def _stop(self) -> None:
        """SIGINT, SIGTERM, SIGKILL to the group, each given its grace, still showing output.

        Another Ctrl-C while waiting moves on to the next signal at once.
        """
        for sig, grace in STOP_SIGNALS:
            if _group_gone(self.proc):
                break
            _signal_group(self.proc.pid, sig)
            try:
                self._pump(lambda: _group_gone(self.proc), deadline=time.monotonic() + grace, poll=0.01)
            except KeyboardInterrupt:
                continue
        for stream in (self.stdout, self.stderr):
            if stream.open:
                stream.read()  # what was already written, without waiting for more

    def _close(self) -> None:
        self._selector.close()
        if self._pidfd is not None:
            os.close(self._pidfd)
        for stream in (self.stdout, self.stderr):
            stream.close()
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        self.proc.poll()


# -- helpers -----------------------------------------------------------------------------------


class _InterruptHeld:
    """Hold back a Ctrl-C that comes while a child is being started, then report it as ``pending``.

    A KeyboardInterrupt raised inside ``Popen()`` would lose the Popen object
    of a child that already runs, leaving it orphaned; held back, the caller
    stops the child first. Only the main thread can do this, and only when
    SIGINT has Python's default handler; otherwise nothing is held.
    """

    def __init__(self):
        self.pending = False
        self._previous = None

    def __enter__(self) -> "_InterruptHeld":
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self._previous = signal.signal(signal.SIGINT, self._hold)
        return self

    def _hold(self, signum, frame) -> None:
        self.pending = True

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

_ENCODING = locale.getpreferredencoding(False) or "utf-8"


class _Discard:
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


def _inherited_stdin():
    """The terminal when hocus reads one, so the child can too; otherwise /dev/null."""
    try:
        return None if sys.stdin is not None and os.isatty(sys.stdin.fileno()) else subprocess.DEVNULL
    except (AttributeError, OSError, ValueError):  # replaced or closed stdin (the kernel, tests)
        return subprocess.DEVNULL


def _open_pty() -> tuple[int | None, int | None]:
    """A pty pair for a child's stdout: no output processing, the size of hocus's terminal."""
    try:
        master, slave = os.openpty()
    except OSError:  # no ptys left (or none on this system): a pipe still works, just buffered
        return None, None
    try:
        import termios

        attrs = termios.tcgetattr(slave)
        attrs[1] &= ~termios.OPOST
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        _copy_terminal_size(slave)
    except (ImportError, OSError):
        pass
    return master, slave


def _copy_terminal_size(fd: int) -> None:
    import fcntl
    import struct
    import termios

    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            size = os.get_terminal_size(stream.fileno())
        except (AttributeError, OSError, ValueError):
            continue
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size.lines, size.columns, 0, 0))
        return


def _pidfd(pid: int) -> int | None:
    """A descriptor that becomes readable when ``pid`` exits (Linux), so no polling is needed."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _group_gone(proc: subprocess.Popen) -> bool:
    """The child has exited and no live process is left in its group."""
    if proc.poll() is None:
        return False
    try:
        os.killpg(proc.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # something we may not signal: nothing more we can do about it
        return True
    return not _has_live_member(proc.pid)


def _has_live_member(pgid: int) -> bool:
    """Whether a process of group ``pgid`` is more than a zombie.

    Orphans of the group are reparented to PID 1, which in a container may
    never reap them; their zombies still count for ``killpg(pgid, 0)``, so
    /proc is asked when it exists.
    """
    try:
        entries = os.listdir("/proc")
    except OSError:
        return True
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in (b"Z", b"X"):
            return True
    return False


def _feed_stdin(stdin, text: str) -> None:
    try:
        stdin.write(text)
        stdin.close()
    except (BrokenPipeError, OSError, ValueError):
        pass


def _copy_lines(stream, write: Callable[[str], None]) -> None:
    try:
        for line in stream:
            write(line)
    except (OSError, ValueError):
        pass
    finally:
        stream.close()
