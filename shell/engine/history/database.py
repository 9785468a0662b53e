"""Opening a history database whatever state the file is in, and writing cells to it.

Usage::

    db = open_file(path, label=None, warn=print)   # Database, or raises Unusable(reason)
    db = open_memory(label=None)                   # for --no-history, or when the file is unusable
    write_items(db.conn, db, [("cell", 1, "x = 1", "x = 1"), ("output", 1, "1")])

:func:`open_file` turns every way a file can be broken into one of two
outcomes: a corrupt file (not SQLite, truncated, malformed) is moved aside to
``<name>.corrupt-<timestamp>`` with a one-line note through ``warn`` and a
fresh database is started; anything else it cannot fix (a directory in the
way, a read-only folder, a full disk, a schema from a newer hocus) raises
:class:`Unusable`, whose message the store shows before keeping history in
memory. Opening reads the 100-byte header and the schema version, never a
table, so it costs the same for any number of cells.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    import sqlite3

from shell.engine.history.schema import (cell_row, check_header, connect, ensure_schema, error_kind,
                                         index_new_cells, move_aside, transaction)

_UPSERT_CELL = ("INSERT INTO cells (session, number, source, source_raw) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (session, number) DO UPDATE SET source=excluded.source, source_raw=excluded.source_raw "
                "WHERE source IS NOT excluded.source OR source_raw IS NOT excluded.source_raw")
_UPSERT_OUTPUT = ("INSERT INTO outputs (session, number, output) VALUES (?, ?, ?) "
                  "ON CONFLICT (session, number) DO UPDATE SET output=excluded.output")


class Unusable(Exception):
    """The file cannot hold history for this session; the message says why, in a few words."""


class Database:
    """An open database: where it is ('' in memory), the main connection, this session's id."""

    __slots__ = ("target", "conn", "session", "fts", "inode")

    def __init__(self, target: str, conn: Any, session: int, fts: bool, inode: int = 0):
        self.target = target
        self.conn = conn
        self.session = session
        self.fts = fts  # the search index exists
        self.inode = inode  # of the file when opened: recovery must not move a file another process replaced

    def __repr__(self) -> str:
        return f"Database({self.target or ':memory:'!r}, session={self.session})"

    @property
    def memory(self) -> bool:
        return not self.target

    def is_still_at(self, path: Path) -> bool:
        """Whether ``path`` is still the file this database was opened from."""
        try:
            return path.stat().st_ino == self.inode
        except OSError:
            return False


def open_file(path: Path, *, label: str | None, warn: Callable[[str], None]) -> Database:
    """Open (creating, migrating or replacing a corrupt file as needed) and start a session."""
    import sqlite3

    if path.is_dir():
        raise Unusable(f"{path} is a directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise Unusable(f"cannot create {path.parent}: {err.strerror or err}") from None
    for attempt in (1, 2):
        problem, wal = check_header(path)
        if problem:
            if not set_aside(path, problem, warn):
                raise Unusable(f"{path} is {problem} and cannot be moved aside")
            continue
        conn = None
        try:
            conn = connect(str(path), wal=wal)
            conn.execute("PRAGMA wal_autocheckpoint=0")  # its commits stay fsync-free: the writer thread checkpoints
            fts = ensure_schema(conn)
            session = start_session(conn, label)
            return Database(str(path), conn, session, fts, path.stat().st_ino)
        except (sqlite3.Error, RuntimeError, OSError) as err:
            if conn is not None:
                conn.close()
            if isinstance(err, sqlite3.Error) and error_kind(err) == "corrupt" and attempt == 1:
                if set_aside(path, "corrupt", warn):
                    continue
            raise Unusable(f"cannot use {path}: {err}") from None
    raise Unusable(f"{path} stays corrupt after a fresh start")


def open_memory(*, label: str | None) -> Database:
    conn = connect("", memory=True)
    fts = ensure_schema(conn)
    return Database("", conn, start_session(conn, label), fts)


def open_read_only_copy(path: Path, *, label: str | None) -> Database | None:
    """The history in ``path`` copied into memory, for a file this process may read but not write.

    Earlier sessions stay visible (↑, ``%history -g``, ``~1/``) while this
    session's cells are kept in memory only. None when the file cannot be read
    as a history database either. ``immutable`` is the way in when the folder is
    read-only and SQLite cannot make the ``-shm`` file a WAL reader needs.
    """
    import sqlite3

    if not path.is_file():
        return None
    uri = path.resolve().as_uri()
    for mode in ("mode=ro", "immutable=1"):
        conn = connect("", memory=True)
        try:
            source = sqlite3.connect(f"{uri}?{mode}", uri=True)
            try:
                source.backup(conn)
            finally:
                source.close()
            fts = ensure_schema(conn)  # an older layout is migrated in memory; a newer one refused
            return Database("", conn, start_session(conn, label), fts)
        except (sqlite3.Error, RuntimeError):
            conn.close()
    return None


def set_aside(path: Path, problem: str, warn: Callable[[str], None]) -> bool:
    """Move a corrupt file aside, saying so; False if it cannot be moved."""
    try:
        moved = move_aside(path)
    except FileNotFoundError:
        return True  # another process moved it first
    except OSError:
        return False
    warn(f"history: {path} was {problem}; moved it to {moved.name} and started a new one")
    return True


def start_session(conn: Any, label: str | None) -> int:
    def insert(c: sqlite3.Connection) -> int:
        number = c.execute("INSERT INTO sessions (start, label) VALUES (?, ?)", (now(), label or None)).lastrowid
        assert number is not None  # an INSERT into a rowid table always sets it
        return number

    return transaction(conn, insert)


def end_session(conn: Any, db: Database, cell_count: int) -> None:
    transaction(conn, lambda c: c.execute("UPDATE sessions SET end=?, num_cells=? WHERE id=?",
                                          (now(), cell_count, db.session)))


def checkpoint(conn: Any) -> None:
    """Copy committed cells from the ``-wal`` file into the database file (at a clean exit).

    Then a copy of ``history.sqlite`` alone, as a backup or a file sync takes
    it, holds every cell. Passive: it never waits for another session; what a
    session still reading holds back is copied at that session's exit.
    """
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def write_items(conn: Any, db: Database, items: Iterable[tuple], *, wait: bool = True) -> None:
    """Upsert cells and outputs in one short transaction (idempotent: writing twice is harmless).

    ``wait=False``: one try, failing at once if another connection is writing.
    """
    cells = [cell_row(db.session, item[1], item[2], item[3]) for item in items if item[0] == "cell"]
    outputs = [(db.session, item[1], item[2]) for item in items if item[0] == "output"]

    def work(c: sqlite3.Connection) -> None:
        if cells:
            # we hold the write lock: every id above the old maximum is a cell of this batch
            before = c.execute("SELECT IFNULL(MAX(id), 0) FROM cells").fetchone()[0]
            c.executemany(_UPSERT_CELL, cells)
            if db.fts:
                index_new_cells(c, before)
        if outputs:
            c.executemany(_UPSERT_OUTPUT, outputs)

    transaction(conn, work, wait=wait)


def now() -> str:
    import datetime

    return datetime.datetime.now().isoformat(sep=" ", timespec="seconds")

