"""History range strings, as ``%history``, ``%rerun``, ``%save`` and ``%macro`` take them.

Usage::

    parse_ranges("4-6 ~2/1-5 ~1/ 243/7 3:5 8-")
    # [(0, 4, 7), (-2, 1, 6), (-1, 1, None), (243, 7, 8), (0, 3, 5), (0, 8, None)]

Each range becomes ``(session, start, stop)`` with ``stop`` excluded (``None``:
to the end of the session). Session ``0`` is the current one, ``-N`` (typed
``~N``) counts back from it, and a positive number is a session's id in the
database. ``N-M`` includes ``M``; ``N:M`` is a Python slice and does not;
``N-`` runs to the end of the session (``~4/4-``: session ``~4`` from cell 4).
``~8/1-~6/5`` spans sessions: the rest of ``~8``, all of ``~7``, ``~6`` up to
cell 5. The syntax is IPython's; unlike IPython, a word that is not a range
is an error rather than silently ignored.
"""

from __future__ import annotations

import re

_RANGE = re.compile(r"""
    (?:(?P<startsess>~?\d+)/)?
    (?P<start>\d+)?
    (?:(?P<sep>[-:])
       (?:(?P<endsess>~?\d+)/)?
       (?P<end>\d+)?)?
    $""", re.VERBOSE)


def _session(text: str) -> int:
    return -int(text[1:]) if text.startswith("~") else int(text)


def parse_ranges(text: str) -> list[tuple[int, int, int | None]]:
    """``(session, start, stop)`` for each word of ``text``; empty text means the whole current session.

    Raises ValueError naming the first word that is not a range.
    """
    if not text.strip():
        return [(0, 1, None)]
    ranges: list[tuple[int, int, int | None]] = []
    for word in text.split():
        match = _RANGE.match(word)
        if not match or not (match.group("start") or match.group("startsess")):
            raise ValueError(f"{word!r} is not a history range (try 4, 4-6, 4:6, 4-, ~2/1-5 or ~1/)")
        if match.group("sep") and not match.group("end"):
            if match.group("sep") != "-" or match.group("endsess") or not match.group("start"):
                raise ValueError(f"{word!r} is not a history range (try 4, 4-6, 4:6, 4-, ~2/1-5 or ~1/)")
            ranges.append((_session(match.group("startsess") or "0"), int(match.group("start")), None))
            continue  # "4-": to the end of the session, as in IPython
        stop: int | None  # None: to the end of the session
        if match.group("start"):
            start = int(match.group("start"))
            end = match.group("end")
            excluded = int(end) if end else start + 1
            if match.group("sep") == "-":
                excluded += 1  # "4-6" includes 6; "4:6" stops before it
            stop = excluded
        else:  # "~1/": the whole session
            if match.group("sep"):
                raise ValueError(f"{word!r} is not a history range: a session range needs a start cell")
            start, stop = 1, None
        first = _session(match.group("startsess") or "0")
        last = _session(match.group("endsess")) if match.group("endsess") else first
        if (first <= 0) != (last <= 0) or last < first:
            raise ValueError(f"{word!r}: the end session comes before the start session")
        if first == last:
            ranges.append((first, start, stop))
            continue
        ranges.append((first, start, None))
        ranges.extend((session, 1, None) for session in range(first + 1, last))
        ranges.append((last, 1, stop))
    return ranges
