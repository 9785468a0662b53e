"""Output capture: ``sys.stdout``/``sys.stderr`` and file descriptors 1 and 2 into IOPub ``stream`` messages.

:class:`IOPubStream` is the file object the kernel installs as ``sys.stdout``
and ``sys.stderr``. It batches: text is held until ``max_delay`` seconds
after the first unsent write or until ``max_size`` characters are waiting,
so ``for i in range(10**6): print(i)`` becomes a few hundred messages, not
a million, and the kernel's memory stays bounded by ``max_size``.
Given ``parent`` (the writing thread's current request), it keeps the text
of different requests apart: a subshell's prints and the busy main cell's
become separate messages, each under its own request.

:class:`FDCapture` points a file descriptor (1 or 2) at a pipe and forwards
what arrives to a stream, so output written by C code, ``os.write(1, ...)``
and child processes that inherited the descriptor reaches the notebook too.
"""

from __future__ import annotations

import codecs
import io
import os
import select
import threading
import time
from typing import Any, Callable


class IOPubStream(io.TextIOBase):
    """A text file whose writes become batched ``stream`` messages.

    ``send(name, text)`` publishes one message; with ``parent``,
    ``send(name, text, parent())`` as it was when the text was written (a
    change of parent sends what the previous one wrote first). ``fileno()``
    is the captured descriptor when there is one, so
    ``subprocess.run(..., stdout=sys.stdout)`` works and its output arrives
    through the :class:`FDCapture`.
    """

    def __init__(self, name: str, send: Callable[..., None], *, max_delay: float = 0.05,
                 max_size: int = 64 * 1024, fd: int | None = None, parent: Callable[[], Any] | None = None):
        super().__init__()
        self.name = name
        self._send = send
        self._parent_of_writer = parent
        self._parent: Any = None  # whose text is waiting in _parts
        self.max_delay = max_delay
        self.max_size = max_size
        self._fd = fd
        self._parts: list[str] = []
        self._size = 0
        self._lock = threading.RLock()
        self._pending = threading.Event()
        self._flusher = threading.Thread(target=self._flush_later, name=f"hocus-{name}-flush", daemon=True)
        self._flusher.start()

    encoding = "utf-8"
    errors = "replace"

    def readable(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        if self._fd is None:
            raise io.UnsupportedOperation("fileno")
        return self._fd

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if not text:
            return 0
        parent = self._parent_of_writer() if self._parent_of_writer is not None else None
        with self._lock:
            if parent is not self._parent:
                if self._parts:
                    self._flush_locked()
                self._parent = parent
            self._parts.append(text)
            self._size += len(text)
            if self._size >= self.max_size:
                self._flush_locked()
            elif not self._pending.is_set():
                self._pending.set()
        return len(text)

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def close(self) -> None:
        """Flush, but stay open: user code closing ``sys.stdout`` must not silence the kernel."""
        self.flush()

    @property
    def closed(self) -> bool:
        return False

    def _flush_locked(self) -> None:
        self._pending.clear()
        if not self._parts:
            return
        text = "".join(self._parts)
        self._parts.clear()
        self._size = 0
        if self._parent_of_writer is None:
            self._send(self.name, text)
        else:
            self._send(self.name, text, self._parent)

    def _flush_later(self) -> None:
        while True:
            self._pending.wait()
            time.sleep(self.max_delay)
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - a failed send must not end the flusher
                pass


class FDCapture:
    """Redirect file descriptor ``fd`` into a pipe whose contents go to ``write``.

    ``saved_fd`` is a duplicate of the original descriptor, for the kernel's
    own logging. :meth:`flush` returns once everything written to ``fd``
    before the call has been passed to ``write``: it drains the pipe itself,
    in the caller's thread, rather than asking the capture thread to, since
    that round trip (two thread switches) ran on every request and was most
    of an execute's round trip on a busy machine.
    """

    def __init__(self, fd: int, write: Callable[[str], object]):
        self.fd = fd
        self._write = write
        self.saved_fd = os.dup(fd)
        read_end, write_end = os.pipe()
        os.dup2(write_end, fd)
        os.close(write_end)
        os.set_blocking(read_end, False)
        self._read_end = read_end
        self._drain_lock = threading.Lock()  # one reader at a time keeps the text in order
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._thread = threading.Thread(target=self._run, name=f"hocus-fd{fd}-capture", daemon=True)
        self._thread.start()

    def flush(self, timeout: float = 1.0) -> None:
        deadline = time.monotonic() + timeout  # a child writing without end cannot hold us past it
        if not self._drain_lock.acquire(timeout=timeout):
            return
        try:
            self._drain(deadline)
        except Exception:  # noqa: BLE001 - as in the capture thread: losing a write must not stop the kernel
            pass
        finally:
            self._drain_lock.release()

    def _drain(self, deadline: float | None = None) -> None:
        chunks = []
        while deadline is None or time.monotonic() < deadline:
            try:
                chunk = os.read(self._read_end, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        if chunks:
            text = self._decoder.decode(b"".join(chunks))
            if text:
                self._write(text)

    def _run(self) -> None:
        while True:
            try:
                select.select([self._read_end], [], [])
            except InterruptedError:
                continue
            try:
                with self._drain_lock:
                    self._drain(time.monotonic() + 0.05)  # hand the lock to a flush now and then
            except Exception:  # noqa: BLE001 - keep capturing whatever one write did
                pass


_libc = None


def flush_c_stdio() -> None:
    """Flush C's stdio buffers, so ``printf`` output reaches the pipes before a cell is reported done."""
    global _libc
    try:
        if _libc is None:
            import ctypes

            _libc = ctypes.CDLL(None)
        _libc.fflush(None)
    except (OSError, AttributeError):
        pass
