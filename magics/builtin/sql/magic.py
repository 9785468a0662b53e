"""The ``%sql`` and ``%%sql`` magics.

Usage::

    %sql SELECT 1 AS one                         # in-memory SQLite (stdlib) until told otherwise
    %sql duckdb:///:memory: --alias duck         # connect (SQLAlchemy URL), optionally named
    %sql duck                                    # switch to a connection by alias (or URL)
    %sql --connections                           # list them, passwords masked
    %sql --close duck
    rows = %sql SELECT * FROM t WHERE name = :name   # :name is bound from the namespace
    %%sql result <<
    CREATE TABLE t (x INTEGER);
    INSERT INTO t VALUES (1), (2);
    SELECT * FROM {{table}}                      # {{expr}} is pasted as text: names, not values
    %sql --persist df                            # a pandas DataFrame becomes table df

Statements run in order; the last one's result is shown (or assigned).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from magics.arguments import argument, magic_arguments, parse_argstring, rest
from magics.base import Magics
from magics.completion import BodyCompletion, completer_for
from magics.builtin.sql.connections import Connection, Connections
from magics.builtin.sql.errors import SqlError, describe
from magics.builtin.sql.params import bind_values, find_parameters, has_code, interpolate
from magics.builtin.sql.resultset import ResultSet
from magics.builtin.sql.statements import split_statements
from magics.decorators import line_cell_magic, no_var_expand
from magics.errors import UsageError
from magics.surface import ShellSurface

if TYPE_CHECKING:
    from magics.builtin.sql.config import SqlMagic

_ASSIGN = re.compile(r"\s*([A-Za-z_]\w*)\s*<<\s*")
_UNKNOWN_OPTION = re.compile(r"-{1,2}[A-Za-z][\w-]*")  # "-- text" is a comment; "--word" a typo
_URL = re.compile(r"[A-Za-z][\w+.-]*://\S*")


class SqlMagics(Magics):
    """Run SQL against SQLite, DuckDB, PostgreSQL, ... and get tables back."""

    def __init__(self, shell: ShellSurface):
        super().__init__(shell)
        self.connections = Connections()
        self.settings = self._make_settings(shell)

    @staticmethod
    def _make_settings(shell: ShellSurface) -> SqlMagic:
        from traitlets.config import Configurable

        from magics.builtin.sql.config import SqlMagic

        settings = SqlMagic(parent=shell) if isinstance(shell, Configurable) else SqlMagic()
        shell.add_configurable(settings)
        return settings

    @magic_arguments()
    @argument("-a", "--alias", metavar="NAME", help="name the new connection, to switch back to it by name")
    @argument("-l", "--connections", action="store_true", help="list the connections (passwords masked)")
    @argument("-x", "--close", metavar="NAME", help="close the connection with this alias or URL")
    @argument("-p", "--persist", metavar="DATAFRAME", help="write a pandas DataFrame to a new table of its name")
    @argument("--append", metavar="DATAFRAME", help="append a pandas DataFrame's rows to the table of its name")
    @rest("sql", help="[name <<] [URL or alias] SQL statements; :name binds a variable, {{expr}} pastes text")
    @no_var_expand  # {{expr}} and :name are its own templating; $1 is SQL
    @line_cell_magic("sql")
    def sql(self, line: str = "", cell: str | None = None) -> Any:
        """Run SQL and show the result as a table.

        With no connection yet, ``%sql`` uses ``$DATABASE_URL`` when it is set
        and an in-memory SQLite database (Python's own ``sqlite3``) otherwise.
        A SQLAlchemy URL first on the line connects (``pip install 'hocus[sql]'``
        for non-SQLite databases); an alias or URL of an open connection
        switches to it. ``name <<`` first on the line assigns the last result
        to ``name`` instead of showing it.

        ``:name`` in the SQL is a parameter bound by the driver to the
        variable ``name`` — a value never becomes SQL text. ``{{expr}}`` is
        replaced by ``str(expr)`` before the SQL runs: use it for table and
        column names only. Settings: ``%config SqlMagic``.
        """
        args = parse_argstring(self.sql, line)
        if args.connections:
            self.shell.write(self.connections.listing() + "\n")
            return None
        if args.close:
            self.connections.close(args.close)
            return None
        if args.persist or args.append:
            return self._persist(args.persist or args.append, append=bool(args.append))

        text = args.sql or ""
        if m := _UNKNOWN_OPTION.match(text):
            raise UsageError(f"%sql: unrecognized option {m.group()} (see %sql?)")
        target = None
        if m := _ASSIGN.match(text):
            target, text = m.group(1), text[m.end():]
        text = self._choose_connection(text, args.alias)
        if cell is not None:
            text = f"{text}\n{cell}" if text.strip() else cell
        result = self.execute(text)
        if target is not None:
            self.shell.push({target: result})
            return None
        return result

    def _choose_connection(self, text: str, alias: str | None) -> str:
        """Connect or switch if the text starts with a URL or a connection's name; return the SQL left."""
        first, _, remainder = text.strip().partition(" ")
        if first and _URL.fullmatch(first):
            if remainder.lstrip().startswith("-"):  # options after the URL: %sql duckdb:// --alias duck
                more = parse_argstring(self.sql, remainder)
                alias, remainder = alias or more.alias, more.sql or ""
            self.connections.connect(first, alias)
            return remainder
        if first and first in self.connections:
            if alias:
                raise UsageError("%sql: --alias names a new connection; give it a URL")
            self.connections.switch(first)
            return remainder
        if alias:
            raise UsageError("%sql: --alias needs a URL to connect to")
        return text

    @completer_for(sql)
    def complete_sql(self, request: BodyCompletion) -> list[tuple[str, str]]:
        """Table and column names of the current connection (never opening a first one), from its
        cached schema, refreshed within the request's time."""
        from magics.builtin.sql.names import sql_names

        conn = self.connections.current
        if conn is None:
            return []
        schema = conn.schema.tables(wait=request.remaining())
        return sql_names(schema, request.text_before_cursor, request.text_after_cursor)

    def execute(self, text: str) -> ResultSet | None:
        """Run the statements of ``text`` in order; the last one's rows, if it returned any."""
        namespace = self.shell.user_ns
        text = interpolate(text, namespace)
        if not has_code(text):
            return None
        conn = self.connections.current_or_default()
        statements = split_statements(text, conn.dialect)
        result = None
        for statement in statements:
            params = bind_values(find_parameters(statement), namespace)
            with conn.lock:  # completion reads the catalogue on this connection, in its own thread
                outcome = conn.run(statement, params, fetch_limit=self.settings.autolimit)
            if outcome.columns is None:  # not a query: it may have changed the tables (DDL, DO, CALL)
                conn.schema.invalidate()
                result = None
                if self.settings.feedback and outcome.rowcount >= 0:
                    s = "" if outcome.rowcount == 1 else "s"
                    self.shell.write(f"{outcome.rowcount} row{s} affected.\n")
            else:
                result = ResultSet(outcome.columns, outcome.rows, displaylimit=self.settings.displaylimit,
                                   truncated=outcome.truncated)
        return result

    def _persist(self, name: str, *, append: bool) -> None:
        namespace = self.shell.user_ns
        if name not in namespace:
            raise UsageError(f"%sql: no variable named {name!r} to persist")
        frame = namespace[name]
        if not hasattr(frame, "to_sql"):
            raise UsageError(f"%sql: {name} is a {type(frame).__name__}, not a pandas DataFrame")
        conn: Connection = self.connections.current_or_default()
        conn.schema.invalidate()  # a new table
        try:
            with conn.lock:
                conn.persist(frame, name, append=append)
        except ValueError as err:  # pandas: the table already exists, or a column it cannot store
            hint = "; use --append to add rows" if "already exists" in str(err) else ""
            raise SqlError(f"(ValueError) {err}{hint}") from None
        except SqlError:
            raise
        except Exception as err:
            raise SqlError(describe(err)) from None
        self.shell.write(f"{'Appended' if append else 'Persisted'} {name} ({len(frame):,} rows).\n")
