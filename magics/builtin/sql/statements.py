"""Splitting a ``%%sql`` cell into the statements the database runs one by one.

Usage::

    split_statements("CREATE TABLE t (x); INSERT INTO t VALUES (1)", "sqlite")
    # ['CREATE TABLE t (x)', 'INSERT INTO t VALUES (1)']
    split_statements("DO $$ BEGIN PERFORM 1; END $$; SELECT 2", "postgresql")
    # ['DO $$ BEGIN PERFORM 1; END $$', 'SELECT 2']

A ``;`` ends a statement only where the database's grammar says so: not in
a string, a comment or a quoted name, and not inside a block — a SQLite
trigger's ``BEGIN ... END``, a PostgreSQL ``DO $$ ... $$`` or function body,
a ``BEGIN ATOMIC ... END``. So the splitting is left to real SQL tokenizers
rather than a scanner of our own: for SQLite, SQLite's own
``sqlite3_complete()`` (``sqlite3.complete_statement``, in the standard
library, so the default database still needs nothing installed); for every
other database, sqlparse's statement splitter (installed with
``hocus[sql]``, alongside SQLAlchemy, and imported only when a cell has a
``;`` to split at), told that in PostgreSQL and DuckDB only ``BEGIN ATOMIC``
opens a block.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from magics.builtin.sql.errors import SqlError
from magics.builtin.sql.params import has_code

__all__ = ["split_statements"]


def split_statements(sql: str, dialect: str) -> list[str]:
    """The statements of ``sql`` for a ``dialect`` (SQLAlchemy's name: ``sqlite``, ``postgresql``,
    ``duckdb``...), in order, without their closing ``;`` and without empty ones."""
    if ";" not in sql:
        pieces = [sql]
    elif dialect == "sqlite":
        pieces = _split_sqlite(sql)
    else:
        pieces = _split_sqlparse(sql, dialect)
    return [piece.strip() for piece in pieces if has_code(piece)]


def _split_sqlite(sql: str) -> list[str]:
    """Cut after each ``;`` that leaves SQLite a complete statement (triggers keep their body)."""
    import sqlite3

    pieces, start = [], 0
    end = sql.find(";")
    while end != -1:
        if sqlite3.complete_statement(sql[start:end + 1]):
            pieces.append(sql[start:end])
            start = end + 1
        end = sql.find(";", end + 1)
    pieces.append(sql[start:])
    return pieces


def _split_sqlparse(sql: str, dialect: str) -> list[str]:
    """sqlparse's statements, each without the ``;`` (and any comment after it) that closed it."""
    try:
        from sqlparse import lexer, tokens
        from sqlparse.engine import StatementSplitter
    except ImportError:
        raise SqlError(f"running several {dialect} statements in one cell needs sqlparse: "
                       "pip install 'hocus[sql]'") from None
    stream = lexer.tokenize(sql)
    if dialect in _ATOMIC_BLOCKS_ONLY:
        stream = _begin_atomic_only(list(stream), tokens)
    pieces = []
    for statement in StatementSplitter().process(stream):
        parts = statement.tokens  # one token per word, string, comment or punctuation
        end = len(parts)
        while end and (parts[end - 1].is_whitespace or parts[end - 1].ttype in tokens.Comment):
            end -= 1
        if end and parts[end - 1].match(tokens.Punctuation, ";"):
            pieces.append("".join(str(part) for part in parts[:end - 1]))
        else:
            pieces.append(str(statement))
    return pieces


_ATOMIC_BLOCKS_ONLY = {"postgresql", "duckdb"}
"""Dialects whose only unquoted block is ``BEGIN ATOMIC ... END`` (PL/pgSQL bodies are quoted)."""


def _begin_atomic_only(stream: list[tuple[Any, str]], tokens: ModuleType) -> list[tuple[Any, str]]:
    """``BEGIN`` opens a block only before ``ATOMIC``; elsewhere it is a name or a transaction.

    sqlparse takes every ``BEGIN`` for a block's start, so a column named
    ``begin`` (legal, unquoted, in PostgreSQL and DuckDB) or ``BEGIN ISOLATION
    LEVEL ...;`` would swallow the statements after it.
    """
    significant = [i for i, (ttype, _) in enumerate(stream)
                   if ttype not in tokens.Whitespace and ttype not in tokens.Newline and ttype not in tokens.Comment]
    following = dict(zip(significant, significant[1:]))
    for i in significant:
        ttype, value = stream[i]
        if ttype in tokens.Keyword and value.upper() == "BEGIN":
            after = following.get(i)
            if after is None or stream[after][1].upper() != "ATOMIC":
                stream[i] = (tokens.Name, value)
    return stream
