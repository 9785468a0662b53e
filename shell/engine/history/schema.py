"""The history database's layout, its forward migrations, and opening it safely.

Usage::

    conn = connect(path)                  # WAL, busy timeout, autocommit
    has_fts = ensure_schema(conn)         # create, or migrate forward, in one transaction
    retry(lambda: conn.execute(...))      # ride out "database is locked"
    trigram_match("*read_csv*")           # '"rea" AND "d_c" AND "csv"': what a search asks the index

Layout (version 3)::

    schema_version(version)
    sessions(id, start, end, label, num_cells)
    cells(id, session, number, source, source_raw)     -- UNIQUE(session, number); source NULL: same as source_raw
    outputs(session, number, output)                    -- only with store_outputs
    cells_fts(source_raw)                               -- FTS5 trigram index, where SQLite has FTS5

Most cells are plain Python, whose transformed ``source`` is the text as
typed; storing that text once (see :func:`cell_row`) makes the table 40%
smaller, and every read of it faster.

The index records, for each three-character sequence, which cells contain
it, and nothing else (``detail=none``: no positions; ``columnsize=0``: no
lengths, which only ranking uses). Search asks it for the cells holding
trigrams of the pattern's literal parts, then checks the pattern with GLOB on
just those cells. The position lists a phrase query would need made the
index almost three times as large and its lookups about three times as slow.

New cells are indexed by the transaction that inserts them, in one
``INSERT … SELECT`` (see :func:`index_new_cells`): an FTS5 insert per row from
a trigger costs ten times as much. Triggers keep the index right when a cell
is changed or deleted.

Version 1 had ``sessions(id, start, end, label)`` and ``cells(session,
number, source, source_raw)`` keyed by (session, number) on SQLite's hidden
rowid; version 2 gives cells an explicit ``id`` (the FTS index refers to it,
and a hidden rowid may change on VACUUM), counts cells per session, adds
``outputs`` and a search index with positions; version 3 stores a source
equal to the raw text once and rebuilds the index without positions. Each
migration is a function from one version to the next, run inside the same
``BEGIN IMMEDIATE`` that checked the version, so two processes opening an old
file at once migrate it once.

Errors are sorted by :func:`error_kind` into what the store does about them:
``busy`` (wait and retry), ``corrupt`` (move the file aside, start afresh),
``storage`` (the disk or folder refuses: keep history in memory).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar

if TYPE_CHECKING:
    import sqlite3

T = TypeVar("T")

SCHEMA_VERSION = 3
BUSY_TIMEOUT = 10.0  # seconds SQLite itself waits for a lock before reporting "locked"
RETRY_FOR = 60.0  # seconds we keep retrying after that, so concurrent writers never give up
_PATIENT = f"PRAGMA busy_timeout={round(BUSY_TIMEOUT * 1000)}"

_SQLITE_MAGIC = b"SQLite format 3\x00"
_BUSY, _LOCKED, _CORRUPT, _NOTADB = 5, 6, 11, 26
_STORAGE = {3, 8, 10, 13, 14, 15}  # PERM, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL


def error_kind(err: BaseException) -> str:
    """``busy``, ``corrupt``, ``storage`` or ``other`` for an sqlite3 error."""
    code = getattr(err, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    message = str(err).lower()
    if primary in (_BUSY, _LOCKED) or "locked" in message or "busy" in message:
        return "busy"
    if primary in (_CORRUPT, _NOTADB) or "malformed" in message or "not a database" in message:
        return "corrupt"
    if primary in _STORAGE or any(word in message for word in ("readonly", "read-only", "disk", "unable to open")):
        return "storage"
    return "other"


def retry(operation: Callable[[], T], *, patience: float = RETRY_FOR) -> T:
    """Run ``operation``, retrying with jittered back-off while the database is busy.

    SQLite's busy timeout covers most waits; this covers the ones it does not
    (a WAL being recovered, a lock upgrade refused) and very long waits, so a
    writer never reports "database is locked" to the user.
    """
    import random
    import sqlite3

    deadline = time.monotonic() + patience
    delay = 0.002
    while True:
        try:
            return operation()
        except sqlite3.OperationalError as err:
            if error_kind(err) != "busy" or time.monotonic() > deadline:
                raise
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 0.2)


def connect(target: str, *, memory: bool = False, wal: bool = False,
            timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """An autocommit connection usable from any thread (callers serialise its use).

    ``wal``: the file is known to be in WAL mode already (its header says so), so
    the switch, which costs more than the rest of opening, is skipped.
    """
    import sqlite3

    conn = sqlite3.connect(":memory:" if memory else target, timeout=timeout, isolation_level=None,
                           check_same_thread=False)
    if not memory:
        if not wal:
            retry(lambda: conn.execute("PRAGMA journal_mode=WAL").fetchone())
        conn.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: durable against crashes, no fsync per commit
    return conn


def transaction(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T], *, wait: bool = True) -> T:
    """Run ``work(conn)`` inside ``BEGIN IMMEDIATE`` … ``COMMIT``, retried while busy.

    ``wait=False``: one try, which does not wait for a lock another connection
    holds (``sqlite3.OperationalError`` instead): for a caller with a patient
    writer to hand the work to. ``conn`` waits ``BUSY_TIMEOUT`` again afterwards.
    """

    def attempt() -> T:
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn)
            conn.execute("COMMIT")
            return result
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    if wait:
        return retry(attempt)
    conn.execute("PRAGMA busy_timeout=0")
    try:
        return attempt()
    finally:
        conn.execute(_PATIENT)


def check_header(path: Path) -> tuple[str | None, bool]:
    """Why the file at ``path`` is not a usable SQLite database (None if it looks fine), and whether it uses WAL.

    Reads only the first 100 bytes, so it costs the same for any size: a
    wrong magic string means "not SQLite"; a file shorter than the page count
    its header promises was truncated.
    """
    try:
        size = path.stat().st_size
        if size == 0:
            return None, False
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return None, False  # unreadable files are reported when SQLite opens them
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return "not an SQLite database", False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]  # the in-header page count is trustworthy
    if header_valid and pages and size < pages * page_size:
        return "truncated", False
    return None, header[18] == header[19] == 2  # file format versions 2: WAL


def has_fts5(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite build has FTS5 with the trigram tokenizer (SQLite 3.34+)."""
    import sqlite3

    try:
        conn.execute("CREATE VIRTUAL TABLE temp._hocus_fts_probe USING fts5(x, tokenize='trigram')")
        conn.execute("DROP TABLE temp._hocus_fts_probe")
        return True
    except sqlite3.Error:
        return False


def ensure_schema(conn: sqlite3.Connection) -> bool:
    """Create the tables or migrate them to :data:`SCHEMA_VERSION`; return whether search has FTS5.

    Costs two small queries when the file is already current, whatever it holds.
    """
    def current_version(c: sqlite3.Connection) -> int | None:
        if not c.execute("SELECT 1 FROM sqlite_master WHERE name='schema_version'").fetchone():
            return None
        row = c.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return row[0] if row and row[0] is not None else None

    if current_version(conn) == SCHEMA_VERSION:
        return _has_fts_table(conn)
    fts = has_fts5(conn)

    def upgrade(c: sqlite3.Connection) -> bool:
        version = current_version(c)
        if version is None:
            create_v1(c)
            version = 1
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"history database has schema version {version}, newer than this hocus "
                               f"({SCHEMA_VERSION}); upgrade hocus to use it")
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](c, fts)
            version += 1
            c.execute("UPDATE schema_version SET version=?", (version,))
        return _has_fts_table(c)

    return transaction(conn, upgrade)


def _has_fts_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name='cells_fts'").fetchone() is not None


def create_v1(conn: sqlite3.Connection) -> None:
    """The first layout; a fresh file is created as version 1, then migrated forward like any other."""
    # one statement at a time: executescript() would commit the caller's transaction
    for statement in (
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "INSERT INTO schema_version VALUES (1)",
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, start TEXT NOT NULL, end TEXT, label TEXT)",
        "CREATE TABLE cells (session INTEGER NOT NULL, number INTEGER NOT NULL, source TEXT NOT NULL, "
        "source_raw TEXT NOT NULL, PRIMARY KEY (session, number))",
    ):
        conn.execute(statement)


def _v1_to_v2(conn: sqlite3.Connection, fts: bool) -> None:
    """Cells get an ``id``, sessions a cell count, outputs a table.

    Version 2 files also got a search index with positions; version 3 replaces it, so going on from
    here builds only the new one.
    """
    for statement in (
        "CREATE TABLE cells_v2 (id INTEGER PRIMARY KEY, session INTEGER NOT NULL, number INTEGER NOT NULL, "
        "source TEXT NOT NULL, source_raw TEXT NOT NULL, UNIQUE (session, number))",
        "INSERT INTO cells_v2 (session, number, source, source_raw) "
        "SELECT session, number, source, source_raw FROM cells ORDER BY rowid",
        "DROP TABLE cells",
        "ALTER TABLE cells_v2 RENAME TO cells",
        "ALTER TABLE sessions ADD COLUMN num_cells INTEGER",
        "CREATE TABLE outputs (session INTEGER NOT NULL, number INTEGER NOT NULL, output TEXT NOT NULL, "
        "PRIMARY KEY (session, number))",
    ):
        conn.execute(statement)


def _v2_to_v3(conn: sqlite3.Connection, fts: bool) -> None:
    """``source`` becomes NULL where it equals ``source_raw``; the search index is rebuilt without positions.

    A version 2 file has an index with positions, or none (its SQLite had no FTS5 then).
    """
    for statement in (
        "DROP TABLE IF EXISTS cells_fts",
        "CREATE TABLE cells_v3 (id INTEGER PRIMARY KEY, session INTEGER NOT NULL, number INTEGER NOT NULL, "
        "source TEXT, source_raw TEXT NOT NULL, UNIQUE (session, number))",
        "INSERT INTO cells_v3 (id, session, number, source, source_raw) "
        "SELECT id, session, number, NULLIF(source, source_raw), source_raw FROM cells ORDER BY id",
        "DROP TABLE cells",  # and its triggers
        "ALTER TABLE cells_v3 RENAME TO cells",
    ):
        conn.execute(statement)
    if fts:
        for statement in (
            "CREATE VIRTUAL TABLE cells_fts USING fts5(source_raw, content='cells', content_rowid='id', "
            "tokenize='trigram case_sensitive 1', detail=none, columnsize=0)",
            "INSERT INTO cells_fts (rowid, source_raw) SELECT id, source_raw FROM cells",
            "CREATE TRIGGER cells_fts_delete AFTER DELETE ON cells BEGIN "
            "INSERT INTO cells_fts (cells_fts, rowid, source_raw) VALUES ('delete', old.id, old.source_raw); END",
            "CREATE TRIGGER cells_fts_update AFTER UPDATE OF source_raw ON cells BEGIN "
            "INSERT INTO cells_fts (cells_fts, rowid, source_raw) VALUES ('delete', old.id, old.source_raw); "
            "INSERT INTO cells_fts (rowid, source_raw) VALUES (new.id, new.source_raw); END",
        ):
            conn.execute(statement)


def cell_row(session: int, number: int, source: str, raw: str) -> tuple[int, int, str | None, str]:
    """The ``(session, number, source, source_raw)`` values that store a cell: ``source`` only if it differs."""
    return session, number, None if source == raw else source, raw


def index_new_cells(conn: sqlite3.Connection, after_id: int) -> None:
    """Add cells with ``id > after_id`` to the search index (inside the transaction that inserted them)."""
    conn.execute("INSERT INTO cells_fts (rowid, source_raw) SELECT id, source_raw FROM cells WHERE id > ?",
                 (after_id,))


#: ``MIGRATIONS[v](conn, has_fts5)`` turns a version ``v`` database into version ``v + 1``.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection, bool], None]] = {1: _v1_to_v2, 2: _v2_to_v3}


def move_aside(path: Path) -> Path:
    """Rename a corrupt ``path`` (and its WAL) to ``<name>.corrupt-<timestamp>``; return the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():  # a stale WAL would be replayed into the fresh file
        os.replace(wal, target.with_name(target.name + "-wal"))
    shm = path.with_name(path.name + "-shm")
    if shm.exists():
        shm.unlink()
    return target


_GLOB_SPECIAL = re.compile(r"\[[^\]]*\]?|[*?]")


def trigram_match(pattern: str) -> str | None:
    """The ``cells_fts MATCH`` query for the cells the glob ``pattern`` can match; None if the index cannot help.

    The index can narrow a search only by the pattern's literal parts of three
    characters or more: of each it asks for the trigrams that cover it end to
    end. ``"*read_csv*"`` asks for ``rea``, ``d_c`` and ``csv``: each further
    trigram would cost the index another list to intersect and seldom leave
    out a cell more, since GLOB checks every cell the index finds anyway.
    """
    terms: dict[str, None] = {}
    for part in _GLOB_SPECIAL.split(pattern):
        if len(part) >= 3:
            for start in (*range(0, len(part) - 3, 3), len(part) - 3):
                terms[part[start:start + 3]] = None
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms) or None
