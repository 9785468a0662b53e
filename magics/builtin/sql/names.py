"""Table and column names for completing inside ``%sql`` lines and ``%%sql`` cells.

Usage::

    schema = {"customers": ("customer_id", "customer_name"), "orders": ("order_id", "customer_id")}
    sql_names(schema, "SELECT * FROM custo", "")
    # the tables: nothing else fits after FROM
    sql_names(schema, "SELECT customer_n", "")
    # tables, and the columns of every table: nothing names one yet
    sql_names(schema, "SELECT customer_n", " FROM customers")
    # tables, and the columns of 'customers', named after the cursor
    sql_names(schema, "SELECT c.", " FROM customers AS c")
    # 'c.customer_id', 'c.customer_name'

Pure: the schema comes from the connection's :class:`~.schema.SchemaCache`,
so picking names never touches the database.
"""

from __future__ import annotations

import re

from magics.builtin.sql.params import ends_in_quotes
from magics.builtin.sql.schema import Schema

__all__ = ["sql_names"]

_WORDS = re.compile(r"[A-Za-z_][\w$]*")
_QUALIFIED = re.compile(r"([A-Za-z_][\w$]*)\.[\w$]*\Z")
_ALIASED = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+([A-Za-z_][\w$]*)(?:\s+(?:AS\s+)?([A-Za-z_][\w$]*))?",
                      re.I)
_TABLE_PLACE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+[\w$]*\Z", re.I)  # only a table fits here
_NOT_ALIASES = frozenset({
    "WHERE", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "OUTER", "ON", "USING", "GROUP",
    "ORDER", "LIMIT", "OFFSET", "HAVING", "WINDOW", "UNION", "EXCEPT", "INTERSECT", "SET", "VALUES",
    "SELECT", "DEFAULT", "RETURNING", "AS", "FETCH", "FOR", "LATERAL", "TABLESAMPLE", "QUALIFY",
})


def sql_names(schema: Schema, before: str, after: str) -> list[tuple[str, str]]:
    """``(name, kind)`` pairs that fit at the cursor, between the texts ``before`` and ``after`` it.

    After ``t.`` (a table, or an alias given in the text): ``t.column`` for
    its columns. After ``FROM``, ``JOIN``, ``INTO``, ``UPDATE``, ``TABLE``: the
    tables. Elsewhere: the tables, and the columns of the tables the text
    names — of all tables while it names none. Inside a string or a comment: nothing.
    """
    if ends_in_quotes(before):
        return []
    by_folded = {table.casefold(): table for table in schema}
    qualified = _QUALIFIED.search(before)
    if qualified:
        qualifier = qualified.group(1)
        table = by_folded.get(qualifier.casefold()) or _aliases(before + after, by_folded).get(qualifier.casefold())
        if table is None:
            return []
        return [(f"{qualifier}.{column}", "column") for column in schema[table]]
    found = [(table, "table") for table in schema]
    if _TABLE_PLACE.search(before):
        return found
    named = {by_folded[word.casefold()] for word in _WORDS.findall(before + " " + after)
             if word.casefold() in by_folded}
    seen = set(schema)
    for table in (t for t in schema if t in named) if named else schema:
        for column in schema[table]:
            if column not in seen:
                seen.add(column)
                found.append((column, "column"))
    return found


def _aliases(text: str, by_folded: dict[str, str]) -> dict[str, str]:
    """Folded alias → table, from ``FROM customers c`` and ``JOIN orders AS o``."""
    aliases = {}
    for match in _ALIASED.finditer(text):
        table, alias = by_folded.get(match.group(1).casefold()), match.group(2)
        if table is not None and alias and alias.upper() not in _NOT_ALIASES:
            aliases[alias.casefold()] = table
    return aliases
