"""How a magic completes words inside its own line or cell: :func:`completer_for`.

Usage::

    class SqlMagics(Magics):
        @line_cell_magic("sql")
        def sql(self, line, cell=None): ...

        @completer_for(sql)
        def complete_sql(self, request: BodyCompletion) -> list[tuple[str, str]]:
            '''Table and column names for %sql lines and %%sql cells.'''
            return [("customers", "table"), ("customer_name", "column")]

The shell's completer asks a magic's completer when the cursor is in that
magic's text — after ``%name`` on a line, or in the body of a ``%%name``
cell — and offers the words that start with the word at the cursor. The
completer states its words and their kinds (``"table"``, ``"column"``,
``"keyword"``...: what a menu shows beside them); the shell does the
matching, the ranking and the replacing.

A completer runs while the user types, so it must answer within
``request.remaining()`` seconds (a slow source returns what it already has
and looks further in the background), never run the user's code, and not
raise: an exception means "no words". The decorator records the completer
on the magic's function (``func.__magic_completer__``), as the other
decorators record what they know, and :attr:`magics.registry.Magic.completer`
hands it out bound to the same :class:`~magics.base.Magics` instance.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable, TypeVar

__all__ = ["BodyCompletion", "BodyCompleter", "completer_for"]

F = TypeVar("F", bound=Callable)


@dataclass(frozen=True)
class BodyCompletion:
    """One request to a magic's completer.

    ``text_before_cursor``/``text_after_cursor``: the magic's own text (the
    line after ``%name``, or the cell after its ``%%name`` line), split at
    the cursor; ``deadline``: the ``time.monotonic()`` by which the answer
    is needed.
    """

    kind: str
    name: str
    text_before_cursor: str
    text_after_cursor: str
    deadline: float

    def remaining(self) -> float:
        """Seconds left before the answer is needed (never negative)."""
        return max(self.deadline - time.monotonic(), 0.0)


BodyCompleter = Callable[[BodyCompletion], Iterable[tuple[str, str]]]
"""A completer: a request in, ``(word, kind)`` pairs out."""


def completer_for(magic: Callable) -> Callable[[F], F]:
    """Make the decorated function (or method, next to the magic's) complete inside ``magic``'s text."""
    def mark(completer: F) -> F:
        setattr(magic, "__magic_completer__", completer)
        return completer

    return mark
