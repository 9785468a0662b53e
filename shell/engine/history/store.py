"""Persistent history: every stored cell of every session, in SQLite.

Usage::

    store = HistoryStore(hocus_dir=Path("~/.hocus").expanduser())
    store.store_cell(1, "__hocus__.line_magic('time', 'f()')", "%time f()")
    store.last(100)                       # raw sources, most recent first, across sessions (↑, auto-suggest)
    store.search("*import*", n=20)        # [(session, number, source)], oldest first
    store.get_range_by_str("~1/ 4-6")     # the previous session, then cells 4-6 of this one
    store.tail(10)                        # the last ten cells of any session
    store.end_session()

The database lives at ``$HOCUS_DIR/history.sqlite`` (``HistoryStore.path``
or ``hocus --history-path`` put it elsewhere). Nothing happens on disk until
the first cell is stored or history is read, and opening reads no table from
end to end, so it costs the same for ten cells or two hundred thousand.

What is guaranteed:

- A cell is committed as it is stored, from the storing thread, when that
  needs no wait; while earlier cells are pending, the file is not open yet,
  or another process is writing, a background thread
  (:mod:`shell.engine.history.writer`) commits it moments later. In a
  session the bootstrap started (the ``hocus`` command, the kernel; see
  :mod:`shell.session`) ``exit``, end of input, SIGTERM and SIGHUP write
  whatever is still pending, and the WAL is checkpointed so
  ``history.sqlite`` alone holds every cell. The engine calls
  :meth:`HistoryStore.settle` before storing a cell, so after ``kill -9``
  at most the latest cell is lost. A library user of ``Shell()``
  calls ``shell.history.close()``, or opts into the same hooks.
- A lone surrogate (undecodable input) is stored as a ``\\u`` escape with one
  warning line; a read-only file stays readable (copied into memory).
- Any number of shells and kernels can share one file: WAL mode, a busy
  timeout, retries and short ``BEGIN IMMEDIATE`` transactions
  (:mod:`shell.engine.history.schema`), so no one sees "database is locked".
- A corrupt file is moved aside to ``history.sqlite.corrupt-<timestamp>`` and
  a fresh one started; a folder that cannot be written, a full disk, or a
  directory where the file should be make the store keep this session's
  history in memory. Either way the user gets one warning line, never a
  traceback, and the session's own history keeps working.

Results have the shape IPython's HistoryManager gives the kernel's
``history_request``: ``(session, number, source)``, or
``(session, number, (source, output))`` with ``output=True``. Cells of the
current session read from memory carry session ``0``. Search uses an FTS5
trigram index where SQLite has one; otherwise a GLOB scan, which is fast
enough at that size.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable

from traitlets import Bool, Float, Unicode
from traitlets.config import Configurable

from shell.engine.history import writer as history_writer
from shell.engine.history.database import (Database, Unusable, checkpoint, end_session, open_file, open_memory,
                                           open_read_only_copy, set_aside, write_items)
from shell.engine.history.schema import connect, error_kind, retry, transaction, trigram_match

if TYPE_CHECKING:
    import sqlite3

_EXIT_COMMAND = re.compile(r"(exit|quit)(\s*\(.*\))?$")
_RECENT_WINDOW = 5000  # cells a limited search scans backwards before it asks the index
SETTLE_SECONDS = 2.0  # longest a cell waits for the cells before it to reach the disk
CHECKPOINT_EVERY = 125  # cells committed by the storing thread between the writer thread's checkpoints: ~4 MB of WAL


class HistoryStore(Configurable):
    """The cells of this session and every earlier one, kept in SQLite."""

    enabled = Bool(True, help="Keep history on disk. False: this session's history lives in memory only "
                              "(hocus --no-history).").tag(config=True)
    path = Unicode("", help="The history database file; empty means $HOCUS_DIR/history.sqlite "
                            "(hocus --history-path).").tag(config=True)
    store_outputs = Bool(False, help="Also store the text of each cell's result, for %history -o "
                                     "in later sessions.").tag(config=True)
    session_label = Unicode("", help="A label saved with this session.").tag(config=True)
    write_delay = Float(0.0, help="Seconds the writer waits to gather cells into one transaction. "
                                  "In hocus and the kernel, exit and SIGTERM/SIGHUP still write "
                                  "everything; only kill -9 can lose up to this much.").tag(config=True)

    def __init__(self, path: str | os.PathLike | None = None, *, hocus_dir: str | os.PathLike | None = None,
                 warn: Callable[[str], None] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if path is not None:
            self.path = os.fspath(path)
        self._hocus_dir = Path(hocus_dir) if hocus_dir else None
        self.warn = warn or _warn_on_stderr
        self._cells: dict[int, tuple[str, str]] = {}  # this session: number -> (source, raw)
        self._outputs: dict[int, str] = {}
        self._db: Database | None = None
        self._open_lock = threading.RLock()  # opening and recovering; taken before _conn_lock, never after
        self._conn_lock = threading.RLock()  # every use of the main connection, from any thread
        self._writer: history_writer.BackgroundWriter | None = None
        self._writer_conn: tuple[str, Any] | None = None
        self._warned: set[str] = set()
        self._ended = False
        self._in_flight: tuple[int, tuple] | None = None  # (thread, item) while _commit_here writes it
        self._committed_here = 0

    @property
    def file_path(self) -> Path:
        """Where the database file is (whether or not it is in use)."""
        if self.path:
            return Path(self.path).expanduser()
        base = self._hocus_dir or Path(os.environ.get("HOCUS_DIR") or Path.home() / ".hocus")
        return base / "history.sqlite"

    @property
    def in_memory(self) -> bool:
        """True when this session's history is not going to disk (disabled, or the file failed to open)."""
        return not self.enabled or self._database().memory

    # -- storing --------------------------------------------------------------------------
    def store_cell(self, number: int, source: str, raw: str | None = None) -> None:
        """Record cell ``number``: its transformed ``source`` and the ``raw`` text as typed."""
        raw = source if raw is None else raw
        source, raw = self._storable(number, source.rstrip("\n")), self._storable(number, raw.rstrip("\n"))
        self._cells[number] = (source, raw)
        self._ended = False
        self._submit(("cell", number, source, raw))

    def store_output(self, number: int, text: str | None) -> None:
        """Record the text of cell ``number``'s result (kept on disk only with ``store_outputs``)."""
        if text is None:
            return
        self._outputs[number] = text
        if self.store_outputs:
            self._submit(("output", number, self._storable(number, text)))

    def settle(self, timeout: float = SETTLE_SECONDS) -> None:
        """Wait until every cell stored so far is committed (unless ``write_delay`` gathers them).

        The engine calls this before it stores the next cell, so a cell whose
        result the user has seen is on disk by the time the next one runs:
        ``kill -9`` costs at most the latest cell. Most cells were committed as
        they were stored, and the writer has nearly always finished the others
        by then, so this seldom waits at all; it is bounded, so a
        database another process keeps locked slows a cell down, never stops it.
        """
        writer = self._writer
        if writer is not None and writer.pending and not self.write_delay:
            writer.wait(timeout)

    def _storable(self, number: int, text: str) -> str:
        """``text`` as SQLite can store it: a lone surrogate (from undecodable input) as a ``\\u`` escape."""
        if text.isascii():
            return text
        try:
            text.encode("utf-8")
            return text
        except UnicodeEncodeError:
            self._warn(f"history: cell {number} holds text that is not valid Unicode; "
                       "stored with \\u escapes in its place")
            return text.encode("utf-8", "backslashreplace").decode("utf-8")

    def _submit(self, item: tuple) -> None:
        db = self._db
        if db is not None and db.memory:
            self._write_memory(db, [item])
        elif self.enabled and not (db is not None and self._commit_here(db, item)):
            self._background().submit(item)

    def _background(self) -> history_writer.BackgroundWriter:
        if self._writer is None:
            self._writer = history_writer.BackgroundWriter(
                self._write_batch, on_idle=self._close_writer_connection, report=self._warn,
                delay=self.write_delay, checkpoint=self._checkpoint_in_background)
            history_writer.track(self)
        return self._writer

    def _commit_here(self, db: Database, item: tuple) -> bool:
        """Commit ``item`` from this thread if that needs no wait; False leaves it to the writer.

        The commit itself is short (WAL, no fsync: some 25 µs), but handing it
        to the writer thread cost more: the two threads take turns at the GIL,
        statement by statement, while the cell runs and its reply goes out
        (about 5% of a kernel's round trip of ``1``). So while
        the writer has nothing pending (nothing stored earlier is uncommitted)
        the item is committed here, in one try: a lock another process holds,
        or any error, sends it to the writer, which waits, retries and
        recovers. The database is never opened here (the writer does that, off
        the prompt's path), and ``write_delay`` keeps its batching. The main
        connection never checkpoints (two fsyncs): every ``CHECKPOINT_EVERY``
        cells the writer thread does, and takes the cells stored meanwhile, so
        the WAL is all copied and starts over.
        """
        writer = self._writer
        if (self.write_delay or (writer is not None and (writer.pending or writer.checkpointing))
                or not self._conn_lock.acquire(blocking=False)):
            return False
        try:
            if db.conn.in_transaction:  # this thread is inside a read or write of its own
                return False
            self._in_flight = (threading.get_ident(), item)  # what flush_for_exit must finish if a signal comes now
            write_items(db.conn, db, [item], wait=False)
            self._committed_here += 1
            if self._committed_here % CHECKPOINT_EVERY == 0:
                self._background().request_checkpoint()
            return True
        except _sqlite().Error:
            return False
        finally:
            self._in_flight = None
            self._conn_lock.release()

    def flush(self) -> None:
        """Write pending cells now, from this thread (reads call this, so they see every stored cell)."""
        items = list(self._writer.pending) if self._writer is not None else []
        if not items:
            return
        db = self._database()
        if db.memory:
            self._write_memory(db, items)
            return
        try:
            with self._conn_lock:
                write_items(db.conn, db, items)
        except _sqlite().Error as err:
            self._recover(db, err)

    def wait(self, timeout: float = 10.0) -> bool:
        """Wait until the background writer has committed everything stored so far."""
        return self._writer.wait(timeout) if self._writer is not None else True

    def end_session(self) -> None:
        """Write what is pending and record the session's end time and cell count."""
        self.flush()
        db = self._db
        if db is not None and not db.memory:
            self._record_end(db.conn, db, locked=True)

    def name_session(self, label: str) -> None:
        """Give the current session a label in the database."""
        self.session_label = label
        db = self._database()
        self._guarded(db, lambda: transaction(db.conn, lambda c: c.execute(
            "UPDATE sessions SET label=? WHERE id=?", (label, db.session))), locked=True)

    def close(self) -> None:
        """End the session and release the database (the store is not used afterwards)."""
        if self._writer is not None:
            self._writer.stop()
        self.end_session()
        history_writer.forget(self)
        if self._db is not None:  # the writer thread closes its own connection when it idles
            with self._conn_lock:
                if not self._db.memory:
                    try:
                        checkpoint(self._db.conn)
                    except _sqlite().Error:
                        pass  # the cells are safe in the -wal file; a later session's exit copies them
                self._db.conn.close()

    def flush_for_exit(self) -> None:
        """At exit or on SIGTERM/SIGHUP: write pending cells on a fresh connection, end the session.

        Takes no lock another thread (or the interrupted main thread) may hold.
        """
        items = list(self._writer.pending) if self._writer is not None else []
        in_flight = self._in_flight
        if in_flight is not None:
            items.append(in_flight[1])
        if self._ended and not items:
            return
        db = self._db if self._db is not None or not items else self._database()
        if db is None or db.memory:
            return
        if in_flight is not None and in_flight[0] == threading.get_ident() and db.conn.in_transaction:
            # the signal interrupted this very thread's commit, which would hold the write lock
            # until the fresh connection below gave up: undo it; the item is written below
            db.conn.execute("ROLLBACK")
        try:
            conn = connect(db.target, timeout=3.0)
            try:
                if items:
                    write_items(conn, db, items)
                end_session(conn, db, max(self._cells, default=0))
                self._ended = True
                try:
                    checkpoint(conn)
                except _sqlite().Error:
                    pass  # the cells are safe in the -wal file; a later session's exit copies them
            finally:
                conn.close()
        except Exception as err:  # noqa: BLE001 - exiting: say what was lost, in one line
            self._warn(f"history: could not save the last {len(items)} cell(s) to {db.target}: {err}")

    def _record_end(self, conn: Any, db: Database, *, locked: bool = False) -> None:
        count = max(self._cells, default=0)
        self._guarded(db, lambda: end_session(conn, db, count), locked=locked)
        self._ended = True

    # -- reading --------------------------------------------------------------------------
    @property
    def session_number(self) -> int:
        """This session's id in the database (opens it if needed)."""
        return self._database().session

    def get_range(self, session: int = 0, start: int = 1, stop: int | None = None, *, raw: bool = True,
                  output: bool = False) -> list[tuple]:
        """Cells ``start`` ≤ number < ``stop`` of ``session`` (0: this one, -N: N before it)."""
        if session == 0 or (self._db is not None and session == self._db.session):
            return self._current_range(start, stop, raw, output)
        if session < 0:
            session += self.session_number
        if session == self.session_number:
            return self._current_range(start, stop, raw, output)
        where, params = "c.session=? AND c.number>=?", [session, start]
        if stop is not None:
            where += " AND c.number<?"
            params.append(stop)
        return self._select(where + " ORDER BY c.number", params, raw, output)

    def get_range_by_str(self, ranges: str, *, raw: bool = True, output: bool = False) -> list[tuple]:
        """Cells named by a range string such as ``"4-6 ~2/1-5 ~1/"`` (ValueError if it is not one)."""
        from shell.engine.history.ranges import parse_ranges  # only reads (%history, %rerun...) need it

        found: list[tuple] = []
        for session, start, stop in parse_ranges(ranges):
            found.extend(self.get_range(session, start, stop, raw=raw, output=output))
        return found

    def tail(self, n: int = 10, *, raw: bool = True, output: bool = False, include_latest: bool = True) -> list[tuple]:
        """The last ``n`` cells of all sessions, oldest first.

        ``include_latest=False`` leaves out this session's newest cell (the
        magic asking, as ``%history -l`` wants).
        """
        if n <= 0:
            return []
        rows = self._select("1 ORDER BY c.id DESC LIMIT ?", [n + 1], raw, output)
        if not include_latest and self._cells:
            latest = (self._database().session, max(self._cells))
            rows = [row for row in rows if (row[0], row[1]) != latest]
        return rows[:n][::-1]

    def search(self, pattern: str = "*", n: int | None = None, unique: bool = False, *, raw: bool = True,
               output: bool = False) -> list[tuple]:
        """Cells of any session whose raw source matches the glob ``pattern``; the ``n`` newest, oldest first.

        Case-sensitive, like ``%history -g`` and the kernel's history search;
        ``unique`` keeps only the newest cell of each distinct source.
        """
        db = self._database()
        where, params = "c.source_raw GLOB ?", [pattern]
        if n is not None:
            # A common pattern has its n newest matches among the newest cells: a short backward
            # scan finds them faster than collecting every match from the index and sorting.
            recent = f"c.id > (SELECT IFNULL(MAX(id), 0) FROM cells) - {_RECENT_WINDOW} AND {where} ORDER BY c.id DESC"
            rows = (self._select(recent, params, raw, output, unique=True, limit=n) if unique
                    else self._select(recent + " LIMIT ?", [*params, n], raw, output))
            if len(rows) >= n:
                return rows[::-1]
        tables, order = "cells c", "c.id"
        match = trigram_match(pattern)
        if db.fts and match:
            # The index finds the cells holding trigrams of every literal part without reading a
            # row; GLOB then checks the whole pattern on those alone. Driving the join from the
            # index, in its rowid order, keeps SQLite from building and sorting a list of ids.
            tables, order = "cells_fts f JOIN cells c ON c.id = f.rowid", "f.rowid"
            where = "cells_fts MATCH ? AND " + where
            params = [match, pattern]
        if unique:
            return self._select(f"{where} ORDER BY {order} DESC", params, raw, output, tables=tables, unique=True,
                                limit=n)[::-1]
        if n is None:
            return self._select(f"{where} ORDER BY {order}", params, raw, output, tables=tables)
        return self._select(f"{where} ORDER BY {order} DESC LIMIT ?", [*params, n], raw, output, tables=tables)[::-1]

    def last(self, n: int = 1000, *, unique: bool = True) -> list[str]:
        """Raw sources of the ``n`` most recent cells across sessions, newest first (↑, auto-suggest).

        ``exit``/``quit`` are left out; ``unique`` keeps each source once.
        """
        found: list[str] = []
        budget = 50 * n + 1000  # rows read at most, so a long run of repeats cannot make this slow

        def collect(conn: sqlite3.Connection) -> None:
            found.clear()
            seen: set[str] = set()
            skipped: set[str] = set()
            cursor = conn.execute("SELECT source_raw FROM cells ORDER BY id DESC")
            read = 0
            while len(found) < n and read < budget:
                rows = cursor.fetchmany(n - len(found) + 64)
                if not rows:
                    return
                read += len(rows)
                for (text,) in rows:
                    if text in skipped or (unique and text in seen):
                        continue
                    stripped = text.strip()
                    if not stripped or (stripped[:4] in ("exit", "quit") and _EXIT_COMMAND.match(stripped)):
                        skipped.add(text)
                        continue
                    seen.add(text)
                    found.append(text)
                    if len(found) == n:
                        return

        self._read(collect)
        return found

    # -- queries ------------------------------------------------------------------------------
    def _current_range(self, start: int, stop: int | None, raw: bool, output: bool) -> list[tuple]:
        cells = self._cells
        top = max(cells, default=0) + 1
        if start < 0:
            start += top
        stop = top if stop is None or stop > top else (stop + top if stop < 0 else stop)
        index = 1 if raw else 0
        return [(0, number, (cells[number][index], self._outputs.get(number)) if output else cells[number][index])
                for number in range(max(start, 1), stop) if number in cells]

    def _select(self, where: str, params: list, raw: bool, output: bool, *, tables: str = "cells c",
                unique: bool = False, limit: int | None = None) -> list[tuple]:
        """``(session, number, source)`` rows of ``cells c`` in ``tables`` (with ``output``: ``(source, output)``).

        ``unique`` keeps the first row of each raw source, ``limit`` rows at most.
        """
        column = "c.source_raw" if raw else "IFNULL(c.source, c.source_raw)"
        columns = f"c.session, c.number, {column}" + (", o.output" if output else "") + (", c.source_raw" if unique else "")
        joined = " LEFT JOIN outputs o ON o.session = c.session AND o.number = c.number" if output else ""
        sql = f"SELECT {columns} FROM {tables}{joined} WHERE {where}"
        rows: list[tuple] = []

        def run(conn: sqlite3.Connection) -> None:
            cursor = conn.execute(sql, params)
            if not unique:
                rows[:] = cursor.fetchall()
                return
            rows.clear()
            seen: set[str] = set()
            for row in cursor:
                if row[-1] not in seen:
                    seen.add(row[-1])
                    rows.append(row[:-1])
                    if limit is not None and len(rows) >= limit:
                        break

        db = self._read(run)
        if not output:
            return rows
        current, outputs = db.session, self._outputs
        return [(session, number, (text, outputs.get(number) if out is None and session == current else out))
                for session, number, text, out in rows]

    def _read(self, work: Callable[[Any], None]) -> Database:
        """Run ``work(conn)`` on the main connection after a flush; recover once from a failing file."""
        self.flush()
        for attempt in (1, 2, 3):  # the file, a fresh file, memory
            db = self._database()
            try:
                with self._conn_lock:
                    retry(lambda: work(db.conn))
                return db
            except _sqlite().Error as err:
                if attempt == 3:
                    raise
                self._recover(db, err)
        raise AssertionError("unreachable")

    # -- opening, writing, recovering -------------------------------------------------------
    def _database(self) -> Database:
        db = self._db
        if db is not None:
            return db
        with self._open_lock:
            if self._db is None:
                self._db = self._open_file() if self.enabled else self._open_memory()
            return self._db

    def _open_file(self) -> Database:
        try:
            return open_file(self.file_path, label=self.session_label, warn=self._warn)
        except Unusable as err:
            reason = str(err)
        copy = open_read_only_copy(self.file_path, label=self.session_label)
        if copy is None:
            return self._fall_back(reason)
        self._warn(f"history: {reason}; showing its history read-only, keeping this session's in memory")
        self._write_memory(copy, self._session_items())
        return copy

    def _open_memory(self) -> Database:
        db = open_memory(label=self.session_label)
        self._write_memory(db, self._session_items())
        return db

    def _session_items(self) -> list[tuple]:
        """This session's cells (and outputs, if they are stored), to write again into a new database."""
        items: list[tuple] = [("cell", n, s, r) for n, (s, r) in list(self._cells.items())]
        if self.store_outputs:
            items += [("output", n, text) for n, text in list(self._outputs.items())]
        return items

    def _fall_back(self, reason: str) -> Database:
        self._warn(f"history: {reason}; keeping this session's history in memory")
        return self._open_memory()

    def _write_batch(self, items: list) -> None:
        """The writer thread's work: commit ``items`` on its own connection."""
        db = self._database()
        if db.memory:
            self._write_memory(db, items)
            return
        try:
            write_items(self._writer_connection(db), db, items)
        except _sqlite().Error as err:
            self._close_writer_connection()
            self._recover(db, err)

    def _checkpoint_in_background(self) -> None:
        """The writer thread's other work: copy the WAL into the file (the main connection leaves that to it)."""
        db = self._db
        if db is not None and not db.memory:
            checkpoint(self._writer_connection(db))

    def _writer_connection(self, db: Database) -> sqlite3.Connection:
        """The writer thread's own connection to ``db``'s file, opened on first use."""
        if self._writer_conn is None or self._writer_conn[0] != db.target:
            self._close_writer_connection()
            self._writer_conn = (db.target, connect(db.target))
        return self._writer_conn[1]

    def _write_memory(self, db: Database, items: list) -> None:
        with self._conn_lock:
            write_items(db.conn, db, items)

    def _close_writer_connection(self) -> None:
        """Only ever called on the writer thread: closing a connection another thread is using crashes."""
        held, self._writer_conn = self._writer_conn, None
        if held is not None:
            held[1].close()

    def _guarded(self, db: Database, operation: Callable[[], Any], *, locked: bool = False) -> None:
        """Run ``operation`` (under the connection lock when it uses the main connection); recover if it fails.

        Recovery takes the open lock, so it must run after the connection lock is released.
        """
        try:
            if locked:
                with self._conn_lock:
                    operation()
            else:
                operation()
        except _sqlite().Error as err:
            self._recover(db, err)

    def _recover(self, db: Database, err: BaseException) -> None:
        """The file failed: start a fresh one (corrupt) or keep history in memory; rewrite this session."""
        with self._open_lock:
            if self._db is not db:
                return  # another thread recovered already
            path = Path(db.target) if db.target else None
            if error_kind(err) == "corrupt" and path is not None:
                if db.is_still_at(path) and not set_aside(path, "corrupt", self._warn):
                    self._db = self._fall_back(f"{path} is corrupt and cannot be moved aside")
                    return
                self._db = None
                fresh = self._database()
                if not fresh.memory:
                    items = self._session_items()
                    self._guarded(fresh, lambda: write_items(fresh.conn, fresh, items), locked=True)
                return
            if not db.memory:
                self._db = self._fall_back(f"cannot write {db.target}: {err}")

    def _warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.warn(f"hocus: {message}\n")


def _sqlite() -> ModuleType:
    import sqlite3  # imported on first use: a Shell that never touches history does not pay for it

    return sqlite3


def _warn_on_stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()
