"""What tables and columns a connection has, for completion: :class:`SchemaCache`.

Usage::

    cache = SchemaCache(connection.read_schema, connection.lock)
    cache.tables(wait=0.05)   # {'customers': ('customer_id', 'customer_name'), ...}
    cache.invalidate()        # after a statement that may have changed the schema

Completion happens while the user types and must answer within its time
budget, whatever the database. So the catalogue is read in one query, in a
background thread, and only when the cached answer is stale — at first,
after a statement that may have changed the schema (``%sql`` marks every
statement that returned no rows: DDL, ``DO`` blocks, ``CALL``...), or after
:data:`MAX_AGE` seconds (another client may have changed it). A request
waits for a refresh only as long as it may, and otherwise answers with what
it had; the refresh finishes in the background for the next request.

The read takes the connection's lock without waiting: while a statement
runs on the connection, the catalogue is not read (and is tried again on
the next request); while the catalogue is read, a statement waits for it.
A failed read keeps the old answer: a completion never raises.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

__all__ = ["MAX_AGE", "Schema", "SchemaCache"]

Schema = dict[str, tuple[str, ...]]
"""Table (or view) name → its column names, in the table's order."""

MAX_AGE = 60.0
"""Seconds after which a cached schema is read again, in case another client changed it."""


class SchemaCache:
    """The last schema read from one connection, and the background read that refreshes it."""

    def __init__(self, read: Callable[[], Schema], lock: threading.RLock):
        self._read = read
        self._lock = lock
        self._schema: Schema = {}
        self._stale = True
        self._read_at = 0.0
        self._reader: threading.Thread | None = None

    def invalidate(self) -> None:
        """The schema may have changed: the next request reads it again."""
        self._stale = True

    def tables(self, wait: float) -> Schema:
        """The schema, refreshed first if stale and the refresh ends within ``wait`` seconds."""
        if self._stale or time.monotonic() - self._read_at > MAX_AGE:
            reader = self._reader
            if reader is None or not reader.is_alive():
                self._stale = False  # a change made during the read marks it stale again
                reader = self._reader = threading.Thread(target=self._refresh, name="hocus-sql-schema",
                                                         daemon=True)
                reader.start()
            reader.join(max(wait, 0.0))
        return self._schema

    def _refresh(self) -> None:
        if not self._lock.acquire(blocking=False):  # a statement is running: try again next time
            self._stale = True
            return
        try:
            schema = self._read()
        except Exception:  # noqa: BLE001 - a broken connection or an odd catalogue: keep what we had
            self._stale = True
            return
        finally:
            self._lock.release()
        self._schema, self._read_at = schema, time.monotonic()
