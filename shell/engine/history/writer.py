"""Writing history off the prompt's critical path, and losing none of it at exit.

Usage::

    writer = BackgroundWriter(write=commit_items, on_idle=close_connection)
    writer.submit(("cell", 3, "x = 1", "x = 1"))    # returns at once
    writer.pending                                  # items not yet known to be committed

    track(store)            # flush_all() calls store.flush_for_exit()

A :class:`BackgroundWriter` keeps submitted items in a deque and commits them
from a daemon thread, as many per transaction as have piled up. An item
leaves the deque only after the transaction that wrote it committed, so
everything not in ``pending`` is on disk. The thread starts on the first
submit and ends after a couple of idle seconds, so a process with many
shells (a test suite) does not keep a thread and a connection for each.
``request_checkpoint()`` has it copy the WAL into the database file, for a
store that commits most cells itself and keeps that fsync off its path.

:func:`flush_all` is the exit path: it does not wait for the thread or take
a lock that an interrupted main thread might hold; each store writes its
pending items on a fresh connection of its own. Writes are idempotent
upserts, so an item the thread is committing at that moment is just written
twice with the same content. Calling it at exit and on SIGTERM/SIGHUP is the
application's choice, not the engine's: :mod:`shell.session.exit_flush`
installs those hooks for the ``hocus`` command and the kernel, and a program
using ``Shell()`` as a library gets none of them.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from typing import Any, Callable

BATCH = 1000  # items per transaction at most: keeps each write lock short
IDLE_SECONDS = 2.0


class BackgroundWriter:
    """Commits submitted items from a daemon thread, in batches."""

    def __init__(self, write: Callable[[list], None], *, on_idle: Callable[[], None] = lambda: None,
                 report: Callable[[str], None] = lambda message: None, delay: float = 0.0,
                 checkpoint: Callable[[], None] = lambda: None, name: str = "hocus-history-writer"):
        self.pending: deque = deque()
        self.delay = delay
        self._write = write
        self._on_idle = on_idle
        self._checkpoint = checkpoint
        self.checkpointing = False  # asked for and not done: callers that commit themselves hand items over meanwhile
        self._report = report
        self._name = name
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._committed = threading.Condition()  # notified each time items leave ``pending``

    def submit(self, item: Any) -> None:
        """Queue ``item`` for the next transaction; never blocks on the database."""
        self.pending.append(item)
        self._start()

    def request_checkpoint(self) -> None:
        """Have the thread run ``checkpoint`` soon; not an item, so :meth:`wait` does not wait for it.

        Until it has run, ``checkpointing`` is true: a caller that commits items
        itself hands them over instead, so that the checkpoint copies the whole
        WAL and the thread's next commit starts it over from the beginning.
        """
        self.checkpointing = True
        self._start()

    def _start(self) -> None:
        self._wake.set()
        with self._lock:
            self._stopping.clear()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def wait(self, timeout: float = 10.0) -> bool:
        """Wait until everything submitted so far is committed; False on timeout."""
        with self._committed:
            return self._committed.wait_for(lambda: not self.pending, timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """Write what is pending, close the connection (``on_idle``) and end the thread."""
        with self._lock:
            self._stopping.set()
            thread = self._thread
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            # asked before waiting: stop()'s wake-up may have been cleared below along with a submit's
            if (self._stopping.is_set() or not self._wake.wait(IDLE_SECONDS)) and not self.pending:
                self._on_idle()
                with self._lock:
                    if not self.pending and not self.checkpointing:
                        self._thread = None
                        return
            self._wake.clear()
            if self.delay and self.pending:
                self._stopping.wait(self.delay)
            while self.pending:
                # Indexing, not iterating: the main thread may append meanwhile, which a deque
                # iterator refuses ("deque mutated during iteration"); appends on the right
                # never move the items on the left that only this thread takes away.
                batch = [self.pending[i] for i in range(min(len(self.pending), BATCH))]
                try:
                    self._write(batch)
                except Exception:  # noqa: BLE001 - one item it cannot take must not cost the others
                    self._write_one_by_one(batch)
                with self._committed:
                    for _ in batch:
                        self.pending.popleft()
                    self._committed.notify_all()
            if self.checkpointing:
                try:
                    self._checkpoint()
                except Exception:  # noqa: BLE001 - the cells are safe in the -wal file; the next one tries again
                    pass
                finally:
                    self.checkpointing = False

    def _write_one_by_one(self, batch: list) -> None:
        for item in batch:
            try:
                self._write([item])
            except Exception as err:  # noqa: BLE001 - a bug must not kill the writer silently
                what = f"{item[0]} {item[1]}" if isinstance(item, tuple) and len(item) > 1 else "an item"
                self._report(f"history: could not write {what}: {type(err).__name__}: {err}")


# -- exit -----------------------------------------------------------------------------------
_STORES: "weakref.WeakSet[Any]" = weakref.WeakSet()


def track(store: Any) -> None:
    """Have :func:`flush_all` write ``store``'s pending history (it has a writer now)."""
    _STORES.add(store)


def forget(store: Any) -> None:
    """Stop flushing ``store`` at exit (it was closed)."""
    _STORES.discard(store)


def flush_all() -> None:
    """Write every live store's pending history now (atexit, signal handlers)."""
    for store in list(_STORES):
        try:
            store.flush_for_exit()
        except Exception:  # noqa: BLE001 - exiting: one store's failure must not stop the others
            pass
