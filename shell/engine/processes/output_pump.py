"""Pumped children: a child's output copied to the engine's Output seam, live.

Usage::

    child = PumpedChild(["bash"], {"env": env}, output, input="echo hi\\n", encoding="utf-8")
    status = child.wait()       # on Ctrl-C: stops the child's group, re-raises KeyboardInterrupt
    child.stdout.text           # what was captured, with capture_stdout=True

The child's stdout is a pseudo-terminal (a pipe when captured) and its
stderr a pipe. One selector in the calling thread writes the cell to the
child's stdin, reads both outputs as they come and hands them to
``output.write``/``output.write_err`` (or collects them), and watches a
pidfd for the child's exit, so no thread is needed, nor polling on Linux.
:mod:`shell.engine.processes.system` says why it is done this way.
"""

from __future__ import annotations

import codecs
import errno
import os
import selectors
import subprocess
import sys
import time
from typing import IO, Any, Callable, Sequence

from shell.engine.processes.child_watchdog import child_watchdog
from shell.engine.io import Output
from shell.engine.processes.process_group import (SIGNAL_CHECK_INTERVAL, STOP_SIGNALS, exit_descriptor, group_gone,
                                                  signal_group)

DRAIN_AFTER_EXIT = 0.1
"""Seconds to keep reading after the child exited, for output its background jobs still write."""


def open_pty() -> tuple[int | None, int | None]:
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
        if stream is None:  # the process started without it
            continue
        try:
            size = os.get_terminal_size(stream.fileno())
        except (AttributeError, OSError, ValueError):
            continue
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size.lines, size.columns, 0, 0))
        return


class Stream:
    """One output channel of a child: read without blocking, decoded, handed on or collected."""

    def __init__(self, file: IO[bytes], sink: Callable[[str], None] | None, encoding: str) -> None:
        self.file = file
        self.fd = file.fileno()
        self.sink = sink
        self.open = True
        self._chunks: list[str] = []
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
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


class PumpedChild:
    """A child whose output is pumped in the calling thread until it exits or is stopped."""

    def __init__(self, command: str | Sequence[str], popen_options: dict[str, Any], output: Output, *,
                 input: str | None = None, capture_stdout: bool = False, capture_stderr: bool = False,
                 encoding: str = "utf-8") -> None:
        """Start ``command`` with ``subprocess.Popen(command, **popen_options)`` and the pipes set up here.

        ``popen_options`` says how to start it (``shell``, ``executable``,
        ``env``, ``stdin`` when there is no ``input``); stdout and stderr
        are this class's business, and the child always gets a session of
        its own.
        """
        master, slave = (None, None) if capture_stdout else open_pty()
        options = dict(popen_options)
        if input is not None:
            options["stdin"] = subprocess.PIPE
        try:
            self.proc = subprocess.Popen(command, **options, stdout=slave if slave is not None else subprocess.PIPE,
                                         stderr=subprocess.PIPE, start_new_session=True)
        except BaseException:
            for fd in (master, slave):
                if fd is not None:
                    os.close(fd)
            raise
        child_watchdog.watch(self.proc.pid)
        if slave is not None:
            os.close(slave)  # the child's copy is the only one: end of file when it and its jobs exit
        stdout_file = open(master, "rb", buffering=0) if master is not None else self.proc.stdout
        assert stdout_file is not None and self.proc.stderr is not None  # the pipes asked for above
        self.stdout = Stream(stdout_file, None if capture_stdout else output.write, encoding)
        self.stderr = Stream(self.proc.stderr, None if capture_stderr else output.write_err, encoding)
        self._input = input.encode(encoding) if input is not None else None
        self._selector = selectors.DefaultSelector()
        for stream in (self.stdout, self.stderr):
            self._selector.register(stream.fd, selectors.EVENT_READ, stream)
        if self._input is not None:
            assert self.proc.stdin is not None  # the pipe asked for above
            os.set_blocking(self.proc.stdin.fileno(), False)
            self._selector.register(self.proc.stdin.fileno(), selectors.EVENT_WRITE, "stdin")
        self._pidfd = exit_descriptor(self.proc.pid)
        if self._pidfd is not None:
            self._selector.register(self._pidfd, selectors.EVENT_READ, "exit")

    def wait(self) -> int:
        """Pump output until the child exits; on Ctrl-C stop its group and re-raise."""
        try:
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
        process group emptying); :data:`SIGNAL_CHECK_INTERVAL` bounds them all,
        so a SIGINT another thread took still interrupts.
        """
        while not done():
            timeout = SIGNAL_CHECK_INTERVAL if poll is None else min(poll, SIGNAL_CHECK_INTERVAL)
            if self._pidfd is None and self.proc.returncode is None:  # no exit event: poll for it
                timeout = min(timeout, 0.05)
            if deadline is None and self._exited_at is not None:
                timeout = max(0.0, self._exited_at + DRAIN_AFTER_EXIT - time.monotonic())
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                timeout = min(timeout, left)
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
        pending = self._input or b""  # only registered while there is input
        try:
            written = os.write(fd, pending[:65536])
        except BlockingIOError:
            return
        except OSError:  # the child closed its stdin early (BrokenPipeError): it has had enough
            written = len(pending)
        self._input = pending[written:]
        if not self._input:
            self._selector.unregister(fd)
            if self.proc.stdin is not None:
                self.proc.stdin.close()

    # -- stopping --------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop the child's group and release everything, unless :meth:`wait` has done so."""
        if not self._closed:
            try:
                self._stop()
            finally:
                self._close()

    def _stop(self) -> None:
        """SIGINT, SIGTERM, SIGKILL to the group, each given its grace, still showing output.

        Another Ctrl-C while waiting moves on to the next signal at once.
        """
        for sig, grace in STOP_SIGNALS:
            if group_gone(self.proc):
                break
            signal_group(self.proc.pid, sig)
            try:
                self._pump(lambda: group_gone(self.proc), deadline=time.monotonic() + grace, poll=0.01)
            except KeyboardInterrupt:
                continue
        for stream in (self.stdout, self.stderr):
            if stream.open:
                stream.read()  # what was already written, without waiting for more

    _closed = False

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
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
        if group_gone(self.proc):  # else a job it left in the background still ends with us
            child_watchdog.release(self.proc.pid)
