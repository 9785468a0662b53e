"""Keep file descriptors 0, 1 and 2 usable whatever a cell does to them.

``open(1)`` makes a file object that closes descriptor 1 when it is
garbage collected; after that every write to the terminal (in the kernel:
to the pipe that carries C-level and child output) fails with ``OSError:
[Errno 9] Bad file descriptor``. So, as IPython does, the ``open`` in the
user namespace is :func:`guarded_open`, which refuses 0, 1 and 2;
``builtins.open`` stays for whoever means it.

A cell can still close one (``os.close(1)``, ``builtins.open(1).close()``).
A front end that owns the process's descriptors calls
``Shell.keep_standard_fds()`` once its streams are set up; from then on a
:class:`StandardFds` keeps a copy of each and puts back any that a cell
closed, before the cell's error (if any) is reported::

    keeper = StandardFds(warn=print)
    with keeper:
        os.close(1)        # on leaving the block: fd 1 is open again, and warn() said so
"""

from __future__ import annotations

import errno
import functools
import io
import os
from typing import IO, Any, Callable

_NAMES = {0: "stdin", 1: "stdout", 2: "stderr"}


@functools.wraps(io.open)
def guarded_open(file: int | str | bytes | os.PathLike[str] | os.PathLike[bytes], *args: Any,
                 **kwargs: Any) -> IO[Any]:
    if isinstance(file, (int, float)) and file in _NAMES:
        raise ValueError(f"hocus won't let you open fd={file} by default as it is likely to crash hocus. "
                         "If you know what you are doing, you can use builtins' open.")
    return io.open(file, *args, **kwargs)


class StandardFds:
    """Copies of descriptors 0, 1 and 2, put back when a block closed one of them."""

    def __init__(self, warn: Callable[[str], None], fds: tuple[int, ...] = (0, 1, 2)):
        self._warn = warn
        self._copies: dict[int, int] = {}
        for fd in fds:
            try:
                self._copies[fd] = os.dup(fd)  # not inherited by child processes (PEP 446)
            except OSError:  # not open when the session started: nothing to keep
                pass

    def __enter__(self) -> "StandardFds":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.restore()

    def restore(self) -> list[int]:
        """Reopen each kept descriptor that is closed now; the ones reopened."""
        reopened = []
        for fd, copy in self._copies.items():
            try:
                os.fstat(fd)
            except OSError as err:
                if err.errno == errno.EBADF:
                    os.dup2(copy, fd)
                    reopened.append(fd)
        for fd in reopened:  # only now: the warning itself needs fd 2
            self._warn(f"Warning: the cell closed file descriptor {fd} ({_NAMES.get(fd, 'fd')}); "
                       "hocus opened it again\n")
        return reopened

    def close(self) -> None:
        """Let the copies go (a front end that ends its session)."""
        for copy in self._copies.values():
            os.close(copy)
        self._copies.clear()
