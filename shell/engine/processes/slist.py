"""``SList``: the list of lines that ``!!cmd`` and ``x = !cmd`` return.

A list of strings with the shortcuts IPython users know: ``.s`` (joined by
spaces), ``.n`` (joined by newlines), ``.l`` (a plain list), ``.p`` (the lines
naming existing files, as ``pathlib.Path``), ``.grep()``, ``.fields()`` and
``.sort()``::

    >>> files = SList(["12 big.csv", "3 small.csv", "7 notes.txt"])
    >>> files.grep("csv").sort(0, nums=True).fields(1)
    ['small.csv', 'big.csv']
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable


class SList(list):
    """A list of lines with shell-friendly views."""

    @property
    def s(self) -> str:
        """The lines joined by single spaces."""
        return " ".join(self)

    @property
    def n(self) -> str:
        """The lines joined by newlines."""
        return "\n".join(self)

    @property
    def l(self) -> list[str]:  # noqa: E743 (IPython's name)
        """The lines as a plain list."""
        return list(self)

    @property
    def p(self) -> list[Path]:
        """The lines that name existing files or folders, as paths (as in IPython)."""
        return [Path(line) for line in self if os.path.exists(line)]

    # IPython's long names for the same views
    list = l
    spstr = s
    nlstr = n
    paths = p

    def grep(self, pattern: str | Callable[[str], bool], prune: bool = False, field: int | None = None) -> "SList":
        """Lines matching a regex (case-insensitive) or a predicate; ``prune=True`` keeps the others.

        With ``field``, only that whitespace-separated field must match
        (``field=-1``: the last one). The argument order is IPython's.
        """
        if callable(pattern):
            test = pattern
        else:
            regex = re.compile(pattern, re.IGNORECASE)
            test = lambda text: regex.search(text) is not None  # noqa: E731

        def subject(line: str) -> str:
            return line if field is None else _field(line, field)

        return SList(line for line in self if bool(test(subject(line))) != prune)

    def fields(self, *indices: int) -> "SList":
        """Whitespace-separated fields of each line: ``fields(0, -1)`` joins them with a space.

        Missing fields are skipped, and a line with none of them is dropped;
        without indices, each line becomes the list of all its fields.
        """
        if not indices:
            return SList(line.split() for line in self)
        result = SList()
        for line in self:
            parts = line.split()
            picked = [parts[i] for i in indices if -len(parts) <= i < len(parts)]
            if picked:
                result.append(" ".join(picked))
        return result

    def sort(self, field: int | None = None, nums: bool = False) -> "SList":  # type: ignore[override]
        """A new SList sorted by the whole line or by one field.

        ``nums=True`` sorts by the number the digits in the key spell
        (``"10 MB"`` after ``"9 MB"``); a key without digits counts as 0.
        Unlike ``list.sort`` it returns the result, as IPython's does.
        """

        def key(line: str) -> str | int:
            value = line if field is None else _field(line, field)
            if not nums:
                return value
            digits = "".join(ch for ch in value if ch.isdigit())
            return int(digits) if digits else 0

        return SList(sorted(self, key=key))


def _field(line: str, index: int) -> str:
    parts = line.split()
    return parts[index] if -len(parts) <= index < len(parts) else ""
