"""Table and column names for completing inside ``%sql`` lines and ``%%sql`` cells.

Usage::

    sql_names(connection, "SELECT * FROM people WHERE pe")   # tables, and the columns of 'people'
    sql_names(connection, "SELECT people.")                  # 'people.id', 'people.name'

Only the current connection is asked — completing never opens a first one — and
a database error means no names, never an exception while typing.
"""

from __future__ import annotations

import re

from magics.builtin.sql.connections import Connection

_WORDS = re.compile(r"[A-Za-z_][\w$]*")
_QUALIFIED = re.compile(r"([A-Za-z_][\w$]*)\.[\w$]*\Z")


def sql_names(connection: Connection | None, text_before_cursor: str) -> list[str]:
    """Names that fit where the cursor is: ``table.column`` after ``table.``, else tables and their columns."""
    if connection is None:
        return []
    try:
        tables = connection.table_names()
        qualified = _QUALIFIED.search(text_before_cursor)
        if qualified and qualified.group(1) in tables:
            table = qualified.group(1)
            return [f"{table}.{column}" for column in connection.column_names(table)]
        mentioned = set(_WORDS.findall(text_before_cursor)) & set(tables)
        columns = [column for table in sorted(mentioned) for column in connection.column_names(table)]
    except Exception:  # a broken connection or an odd catalogue: no names, no error while typing
        return []
    return sorted(set(tables) | set(columns))
