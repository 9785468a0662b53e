"""``SList``: the list of lines that ``!!cmd`` and ``x = !cmd`` return.

A list of strings with the shortcuts IPython users know: ``.s`` (joined by
spaces), ``.n`` (joined by newlines), ``.l`` (the list itself), ``.p`` (as
``pathlib.Path`` objects), ``.grep()``, ``.fields()`` and ``.sort()``.
"""

from __future__ import annotations

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
        return list(self)

    @property
    def p(self) -> list[Path]:
        """The lines as paths."""
        return [Path(line) for line in self]

    def grep(self, pattern: str | Callable[[str], bool], prune: bool = False, field: int | None = None) -> "SList":
        """Lines matching a regex (or a predicate); ``prune=True`` keeps the others.

        With ``field``, match only that whitespace-separated field.
        """
        if callable(pattern):
            test = pattern
        else:
            regex = re.compile(pattern, re.IGNORECASE)
            test = lambda text: regex.search(text) is not None  # noqa: E731

        def subject(line: str) -> str:
            if field is None:
                return line
            parts = line.split()
            return parts[field] if -len(parts) <= field < len(parts) else ""

        return SList(line for line in self if bool(test(subject(line))) != prune)

    def fields(self, *indices: int) -> "SList":
        """Whitespace-separated fields of each line: ``fields(0, -1)`` joins them with a space."""
        result = SList()
        for line in self:
            parts = line.split()
            if not indices:
                result.append(parts)
                continue
            picked = [parts[i] for i in indices if -len(parts) <= i < len(parts)]
            if picked:
                result.append(" ".join(picked))
        return result

    def sort(self, field: int | None = None, nums: bool = False) -> "SList":  # type: ignore[override]
        """A new SList sorted by the whole line or one field (numerically with ``nums=True``)."""

        def key(line: str):
            value = line if field is None else (line.split()[field] if len(line.split()) > abs(field) - (field < 0) else "")
            if nums:
                digits = re.sub(r"[^0-9.-]", "", value)
                try:
                    return float(digits)
                except ValueError:
                    return 0.0
            return value

        return SList(sorted(self, key=key))
