"""Database connections for ``%sql``: the stdlib SQLite one, SQLAlchemy ones, and their registry.

Usage::

    connections = Connections()
    conn = connections.current_or_default()        # $DATABASE_URL, else in-memory SQLite
    conn.run("SELECT :x AS x", {"x": 1})            # StatementResult(columns=['x'], rows=[(1,)], ...)
    connections.connect("duckdb:///:memory:", alias="duck")
    connections.switch("sqlite://")                 # back to the first one
    connections.listing()                           # passwords shown as ***

``sqlite://`` URLs (``sqlite://``, ``sqlite:///file.db``) are opened with the
standard library's ``sqlite3``, so ``%sql`` works with nothing else installed;
every other URL — and ``sqlite+driver://`` — goes through SQLAlchemy, which is
imported only then. ``%sql URL`` connects at once (a bad URL or an unreachable
server is reported there); a lost connection is opened again by the next statement.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from magics.builtin.sql.errors import ConnectionLost, SqlError, describe
from magics.builtin.sql.params import escape_colons
from magics.builtin.sql.schema import Schema, SchemaCache

if TYPE_CHECKING:  # both imported on first use
    from sqlite3 import Connection as SqliteDriverConnection

    from sqlalchemy.engine import Connection as AlchemyDriverConnection

DEFAULT_URL = "sqlite://"
_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*(@)")
_CHANGES = {"INSERT", "UPDATE", "DELETE", "MERGE"}
_QUERIES = {"SELECT", "WITH", "VALUES", "FROM", "TABLE", "SHOW", "DESCRIBE", "SUMMARIZE", "PRAGMA", "EXPLAIN",
            "CALL", "(", "(SELECT"}
_INFORMATION_SCHEMA_DIALECTS = {"postgresql", "duckdb"}  # others: SQLAlchemy's inspector, a query per table
_INFORMATION_SCHEMA_QUERY = (
    "SELECT t.table_name, c.column_name FROM information_schema.tables t "
    "LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name "
    "WHERE t.table_schema = current_schema() ORDER BY t.table_name, c.ordinal_position")
_STDLIB_SQLITE = re.compile(r"sqlite://(?:/([^?]*))?\Z", re.S)  # with ?options: SQLAlchemy


def mask_password(url: str) -> str:
    """``postgresql://user:secret@host/db`` → ``postgresql://user:***@host/db``."""
    return _PASSWORD.sub(r"\1***\2", url)


@dataclass
class StatementResult:
    """One statement's outcome: rows (``columns`` not None) or a count of changed rows."""

    columns: list[str] | None
    rows: list[tuple] = field(default_factory=list)
    rowcount: int = -1
    truncated: bool = False


class Connection:
    """One database, opened on first use. Subclasses do the driver's part."""

    def __init__(self, url: str, alias: str | None = None):
        self.url = url
        self.alias = alias
        self.lock = threading.RLock()
        """Held while a statement runs or the catalogue is read: one user of the driver at a time."""
        self.schema = SchemaCache(self.read_schema, self.lock)
        """Its tables and columns, for completion; ``%sql`` invalidates it after changes."""

    @property
    def name(self) -> str:
        """How ``--connections`` and switching refer to it: the alias, else the URL."""
        return self.alias or self.url

    @property
    def display_url(self) -> str:
        return mask_password(self.url)

    @property
    def dialect(self) -> str:
        """SQLAlchemy's name for the database's SQL (``sqlite``, ``postgresql``, ``duckdb``...)."""
        raise NotImplementedError

    def open(self) -> None:
        """Connect now (``%sql URL`` says at once when a server cannot be reached)."""
        self._connection()

    def _connection(self) -> object:
        """The driver's connection, opened on first use."""
        raise NotImplementedError

    def run(self, statement: str, params: dict[str, Any], fetch_limit: int = 0) -> StatementResult:
        raise NotImplementedError

    def persist(self, frame: Any, table: str, *, append: bool) -> None:
        raise NotImplementedError

    def read_schema(self) -> Schema:
        """The tables and views of the current schema with their columns, from the catalogue alone.

        Never opens a connection (completion calls it) and never runs a query on a table or
        view, whose definition might call the user's functions.
        """
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def _fetch(cursor_like: Any, fetch_limit: int) -> tuple[list, bool]:
    if fetch_limit and fetch_limit > 0:
        rows = cursor_like.fetchmany(fetch_limit + 1)
        return rows[:fetch_limit], len(rows) > fetch_limit
    return cursor_like.fetchall(), False


class SqliteConnection(Connection):
    """SQLite through the standard library's ``sqlite3``, in autocommit mode."""

    def __init__(self, url: str = DEFAULT_URL, alias: str | None = None):
        super().__init__(url, alias)
        match = _STDLIB_SQLITE.match(url)
        if match is None:
            raise SqlError(f"{url!r} is not a sqlite:// URL")
        self.path = match.group(1) or ":memory:"
        self._conn: SqliteDriverConnection | None = None

    @property
    def dialect(self) -> str:
        return "sqlite"

    def _connection(self) -> SqliteDriverConnection:
        if self._conn is None:
            import sqlite3

            try:
                self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as err:
                raise SqlError(describe(err)) from None
        return self._conn

    def run(self, statement: str, params: dict[str, Any], fetch_limit: int = 0) -> StatementResult:
        import sqlite3

        conn = self._connection()
        try:
            cursor = conn.execute(statement, params)
            if cursor.description is None:
                return StatementResult(None, rowcount=cursor.rowcount)
            columns = [d[0] for d in cursor.description]
            rows, truncated = _fetch(cursor, fetch_limit)
            cursor.close()
        except sqlite3.Error as err:
            raise SqlError(describe(err)) from None
        return StatementResult(columns, rows, truncated=truncated)

    def persist(self, frame: Any, table: str, *, append: bool) -> None:
        frame.to_sql(table, self._connection(), index=False, if_exists="append" if append else "fail")

    def read_schema(self) -> Schema:
        import sqlite3

        if self._conn is None:
            raise SqlError("not connected")
        tables = [row[0] for row in self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
            "UNION SELECT name FROM sqlite_temp_master WHERE type IN ('table', 'view') ORDER BY name")]
        schema: Schema = {}
        for table in tables:
            try:  # a view over a dropped table has no columns to tell, and must not hide the others
                columns = self._conn.execute("SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))
                schema[table] = tuple(row[0] for row in columns)
            except sqlite3.Error:
                schema[table] = ()
        return schema

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class AlchemyConnection(Connection):
    """Any database SQLAlchemy has a dialect for; each statement is committed after it runs."""

    def __init__(self, url: str, alias: str | None = None):
        super().__init__(url, alias)
        try:
            import sqlalchemy
        except ImportError:
            raise SqlError(f"connecting to {self.display_url} needs SQLAlchemy: pip install 'hocus[sql]'") from None
        try:
            self._engine = sqlalchemy.create_engine(url)
        except Exception as err:  # a malformed URL, an unknown dialect, a missing driver
            raise SqlError(f"cannot connect to {self.display_url}: {describe(err)}") from None
        self._conn: AlchemyDriverConnection | None = None

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def _connection(self) -> AlchemyDriverConnection:
        if self._conn is None:
            try:
                self._conn = self._engine.connect()
            except Exception as err:
                raise SqlError(f"cannot connect to {self.display_url}: {describe(err)}") from None
        return self._conn

    def run(self, statement: str, params: dict[str, Any], fetch_limit: int = 0) -> StatementResult:
        from sqlalchemy import exc, text

        conn = self._connection()
        try:
            result = conn.execute(text(escape_colons(statement)), params)
            if result.returns_rows:
                columns = list(result.keys())
                rows, truncated = _fetch(result, fetch_limit)
                rows = [tuple(row) for row in rows]
                outcome = StatementResult(columns, rows, truncated=truncated)
                if columns in (["Count"], ["Success"]) and len(rows) <= 1 and not _is_query(statement):
                    # DuckDB answers every statement with rows: changes as a count, DDL with none
                    # ("Success", no rows, for ALTER, DROP, SET)
                    counted = rows and _is_counted_change(statement)
                    outcome = StatementResult(None, rowcount=rows[0][0] if counted else -1)
            else:
                outcome = StatementResult(None, rowcount=result.rowcount)
            result.close()
            conn.commit()
            return outcome
        except exc.DBAPIError as err:
            self._recover(err)
            raise SqlError(describe(err)) from None
        except exc.SQLAlchemyError as err:
            self._recover(err)
            raise SqlError(describe(err)) from None

    def _recover(self, err: Exception) -> None:
        """Roll back a failed statement; if the connection is gone, drop it and say so."""
        conn = self._conn
        lost = getattr(err, "connection_invalidated", False) or conn is None or conn.invalidated or conn.closed
        if conn is not None and not lost:
            try:
                conn.rollback()
                return
            except Exception:
                lost = True
        try:
            if conn is not None:
                conn.close()
        except Exception:
            pass
        self._conn = None
        raise ConnectionLost(f"lost the connection to {self.display_url}: {describe(err)}; "
                             "the next %sql reconnects") from None

    def persist(self, frame: Any, table: str, *, append: bool) -> None:
        conn = self._connection()
        try:
            frame.to_sql(table, conn, index=False, if_exists="append" if append else "fail")
            conn.commit()
        except Exception as err:
            if not isinstance(err, ValueError):
                self._recover(err)
            raise

    def read_schema(self) -> Schema:
        conn = self._conn
        if conn is None:
            raise SqlError("not connected")
        try:
            if self.dialect in _INFORMATION_SCHEMA_DIALECTS:
                from sqlalchemy import text

                schema: Schema = {}
                for table, column in conn.execute(text(_INFORMATION_SCHEMA_QUERY)):
                    schema[table] = schema.get(table, ()) + ((column,) if column is not None else ())
                return schema
            import sqlalchemy

            inspector = sqlalchemy.inspect(conn)
            return {table: tuple(column["name"] for column in inspector.get_columns(table))
                    for table in inspector.get_table_names() + inspector.get_view_names()}
        finally:
            conn.rollback()  # end the catalogue's transaction: statements run in their own

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
            self._conn = None
        self._engine.dispose()


def _is_query(statement: str) -> bool:
    words = statement.split(None, 1)
    return bool(words) and (words[0].upper() in _QUERIES or " returning " in f" {statement.lower()} ")


def _is_counted_change(statement: str) -> bool:
    words = statement.split(None, 1)
    return bool(words) and words[0].upper() in _CHANGES and " returning " not in f" {statement.lower()} "


def open_connection(url: str, alias: str | None = None) -> Connection:
    """A connection for ``url``: stdlib ``sqlite3`` for ``sqlite://...``, SQLAlchemy otherwise."""
    if _STDLIB_SQLITE.match(url):
        return SqliteConnection(url, alias)
    return AlchemyConnection(url, alias)


class Connections:
    """The open connections of one shell, by name (alias or URL), and the current one."""

    def __init__(self) -> None:
        self._by_name: dict[str, Connection] = {}
        self.current: Connection | None = None

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Connection]:
        return iter(self._by_name.values())

    def connect(self, url: str, alias: str | None = None) -> Connection:
        """Make ``url`` current, reusing an open connection to it (or under ``alias``)."""
        existing = self._by_name.get(alias or url)
        if existing is not None and existing.url == url:
            self.current = existing
            return existing
        if alias and existing is not None:
            raise SqlError(f"the alias {alias!r} is already used for {existing.display_url}; "
                           f"close it first (%sql --close {alias})")
        conn = open_connection(url, alias)
        conn.open()
        self._by_name[conn.name] = conn
        self.current = conn
        return conn

    def switch(self, name: str) -> Connection:
        try:
            self.current = self._by_name[name]
        except KeyError:
            raise SqlError(f"no connection named {name!r}; open ones: {', '.join(self._by_name) or 'none'}") from None
        return self.current

    def current_or_default(self) -> Connection:
        """The current connection; at first, ``$DATABASE_URL``'s or an in-memory SQLite database."""
        if self.current is None:
            return self.connect(os.environ.get("DATABASE_URL") or DEFAULT_URL)
        return self.current

    def close(self, name: str) -> None:
        conn = self._by_name.pop(name, None)
        if conn is None:
            matches = [c for c in self._by_name.values() if c.url == name]
            if not matches:
                raise SqlError(f"no connection named {name!r} to close")
            conn = self._by_name.pop(matches[0].name)
        with conn.lock:  # not while completion reads its catalogue
            conn.close()
        if self.current is conn:
            self.current = None

    def close_all(self) -> None:
        for name in list(self._by_name):
            self.close(name)

    def listing(self) -> str:
        """One line per connection, the current one starred; passwords masked."""
        lines = []
        for conn in self._by_name.values():
            mark = "*" if conn is self.current else " "
            alias = f"{conn.alias}: " if conn.alias else ""
            lines.append(f"{mark} {alias}{conn.display_url}")
        return "\n".join(lines) if lines else "no connections"
