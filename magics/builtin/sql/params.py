"""Reading SQL text: ``:name`` parameters and ``{{expr}}`` interpolation.

Usage::

    find_parameters("SELECT * FROM t WHERE name = :name AND note = ':not_me'")
    # ['name']
    interpolate("SELECT * FROM {{table}}", {"table": "t"})
    # 'SELECT * FROM t'

``:name`` parameters are *bound* by the database driver: their values never
become part of the SQL text, so ``"x'; DROP TABLE t; --"`` is data. ``{{expr}}``
is the one place where Python is pasted into SQL as text — for names of
tables and columns, which cannot be bound — and only where the user writes
the double braces (single braces are left alone: PostgreSQL arrays and JSON
use them).

One small scanner walks the text once, skipping quoted strings, quoted
identifiers, comments and PostgreSQL dollar-quoted bodies, so a ``:word``
inside any of them is never mistaken for a parameter. (Where statements end
is the database's grammar to say: see :mod:`.statements`.)
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from magics.errors import UsageError

_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_]\w*)?\$")
_NAME = re.compile(r"[A-Za-z_]\w*")
_INTERPOLATION = re.compile(r"\{\{(.*?)\}\}", re.S)


def _tokens(sql: str) -> Iterator[tuple[str, int, int]]:
    """Yield ``(kind, start, end)``: kind is ``quoted`` (strings, comments,
    quoted identifiers, dollar bodies), ``semicolon``, ``param`` or ``text``."""
    i, n = 0, len(sql)
    text_start = 0
    while i < n:
        ch = sql[i]
        end = None
        kind = None
        if ch in "'\"`":
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:  # '' is a quote inside the string
                        j += 2
                        continue
                    break
                j += 1
            end, kind = min(j + 1, n), "quoted"
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            end, kind = (n if j < 0 else j), "quoted"
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            end, kind = (n if j < 0 else j + 2), "quoted"
        elif ch == "$" and (m := _DOLLAR_TAG.match(sql, i)) and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_")):
            j = sql.find(m.group(), m.end())
            end, kind = (n if j < 0 else j + len(m.group())), "quoted"
        elif ch == ";":
            end, kind = i + 1, "semicolon"
        elif ch == ":":
            if sql.startswith("::", i):  # PostgreSQL cast: x::int
                i += 2
                continue
            prev = sql[i - 1] if i else ""
            m = _NAME.match(sql, i + 1)
            if m and not (prev.isalnum() or prev == "_"):
                end, kind = m.end(), "param"
        if kind is None or end is None:  # set together: nothing starts here
            i += 1
            continue
        if text_start < i:
            yield "text", text_start, i
        yield kind, i, end
        i = text_start = end
    if text_start < n:
        yield "text", text_start, n


def has_code(statement: str) -> bool:
    """Whether ``statement`` holds more than blanks, comments and ``;`` (a piece worth running)."""
    return any(kind in ("text", "param") or kind == "quoted" and not statement.startswith(("--", "/*"), s)
               for kind, s, e in _tokens(statement) if statement[s:e].strip())


def ends_in_quotes(sql: str) -> bool:
    """Whether the end of ``sql`` is inside a string, a quoted name, a comment or a ``$$`` body
    (where completing a table or column name makes no sense)."""
    last = None
    for last in _tokens(sql):
        pass
    if last is None or last[0] != "quoted" or last[2] != len(sql):
        return False
    chunk = sql[last[1]:]
    if chunk.startswith("--"):
        return True
    if chunk.startswith("/*"):
        return len(chunk) < 4 or not chunk.endswith("*/")
    if chunk[0] in "'\"`":
        return len(chunk) < 2 or not chunk.endswith(chunk[0]) or chunk.count(chunk[0]) % 2 == 1
    opening = _DOLLAR_TAG.match(chunk)
    assert opening is not None  # the only other quoted chunk: a dollar-quoted string
    tag = opening.group()
    return len(chunk) < 2 * len(tag) or not chunk.endswith(tag)


def find_parameters(sql: str) -> list[str]:
    """The ``:name`` parameters in ``sql``, in order of first appearance."""
    names: list[str] = []
    for kind, s, e in _tokens(sql):
        if kind == "param" and sql[s + 1:e] not in names:
            names.append(sql[s + 1:e])
    return names


def escape_colons(sql: str) -> str:
    """``sql`` for SQLAlchemy's ``text()``: colons that are not parameters get a backslash.

    ``text()`` would otherwise take ``':word'`` inside a string literal for a
    parameter; our scanner knows better.
    """
    parts = []
    for kind, s, e in _tokens(sql):
        chunk = sql[s:e]
        parts.append(chunk if kind == "param" else chunk.replace(":", "\\:"))
    return "".join(parts)


def bind_values(names: list[str], namespace: dict[str, Any]) -> dict[str, Any]:
    """The values of ``names`` from the user namespace; a missing name is a one-line error."""
    missing = [name for name in names if name not in namespace]
    if missing:
        listed = ", ".join(f":{name}" for name in missing)
        raise UsageError(f"%sql: no variable for the parameter {listed} (define it, or quote the colon)")
    return {name: namespace[name] for name in names}


def interpolate(sql: str, namespace: dict[str, Any]) -> str:
    """Replace each ``{{expr}}`` with ``str(eval(expr))`` in the user namespace."""
    if "{{" not in sql:
        return sql

    def value(match: re.Match) -> str:
        expr = match.group(1).strip()
        try:
            return str(eval(expr, namespace))  # the user's own expression, as a cell would run it
        except Exception as err:
            raise UsageError(f"%sql: cannot interpolate {{{{{expr}}}}}: {type(err).__name__}: {err}") from None

    return _INTERPOLATION.sub(value, sql)
