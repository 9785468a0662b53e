"""Errors of ``%sql``: one line each, with the database's own message.

::

    UsageError                      (magics.errors)
     └── SqlError                   the database refused a statement, or a URL/alias was bad
          └── ConnectionLost        the server went away; the next %sql reconnects
"""

from __future__ import annotations

from magics.errors import UsageError


class SqlError(UsageError):
    """A one-line SQL error: ``(sqlite3.OperationalError) no such table: foo``."""

    display_name = "SqlError"


class ConnectionLost(SqlError):
    """The connection broke while a statement ran; the next ``%sql`` opens a new one."""


def describe(err: BaseException) -> str:
    """``(module.ErrorClass) first line of the message``, the driver's error when there is one."""
    original = getattr(err, "orig", None) or err  # SQLAlchemy wraps the driver's exception
    cls = type(original)
    module = cls.__module__
    name = cls.__name__ if module in ("builtins", "") else f"{module}.{cls.__name__}"
    lines = [line.strip() for line in str(original).strip().splitlines() if line.strip()]
    return f"({name}) {lines[0] if lines else cls.__name__}"
