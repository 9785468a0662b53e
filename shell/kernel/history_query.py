"""Answering ``history_request``: tail, range and search (with ``unique`` and ``n``).

When the shell has a persistent history store (``shell.history`` with
``tail``/``get_range``/``search``), it answers, across sessions (cells of
the current session carry session 0). Otherwise this session's ``In``/``Out``
do, as session 1.
"""

from __future__ import annotations

import fnmatch
from typing import Any, Iterable

CURRENT_SESSION = 1


def history_entries(shell: Any, content: dict[str, Any]) -> list[list[Any]]:
    """The ``history`` list of a ``history_reply``: ``[session, line, input]`` or ``[.., [input, output]]``."""
    kind = content.get("hist_access_type")
    output = bool(content.get("output", False))
    raw = bool(content.get("raw", True))
    store = getattr(shell, "history", None)
    if store is not None and all(hasattr(store, m) for m in ("tail", "get_range", "search")):
        rows = list(_from_store(store, kind, content, raw, output))
        if any(row[0] == 0 for row in rows):
            # the store answers "this session" as 0; a front end needs the number to ask again
            current = store.session_number
            rows = [(current, *row[1:]) if row[0] == 0 else row for row in rows]
    else:
        rows = _from_session(shell, kind, content, output)
    return [list(row[:2]) + [list(row[2]) if isinstance(row[2], tuple) else row[2]] for row in rows]


def _from_store(store: Any, kind: str, content: dict[str, Any], raw: bool, output: bool) -> Iterable:
    if kind == "tail":
        return store.tail(int(content.get("n", 10)), raw=raw, output=output, include_latest=True)
    if kind == "range":
        return store.get_range(int(content.get("session", 0)), int(content.get("start", 1)),
                               content.get("stop"), raw=raw, output=output)
    if kind == "search":
        n = content.get("n")
        return store.search(str(content.get("pattern", "*")), raw=raw, output=output,
                            n=int(n) if n is not None else None, unique=bool(content.get("unique", False)))
    raise ValueError(f"unknown hist_access_type {kind!r}; use tail, range or search")


def _from_session(shell: Any, kind: str, content: dict[str, Any], output: bool) -> list[tuple]:
    inputs = list(shell.In)
    outputs = shell.Out
    rows = [(CURRENT_SESSION, line, inputs[line]) for line in range(1, len(inputs))]
    if kind == "tail":
        n = int(content.get("n", 10))
        rows = rows[-n:] if n > 0 else []
    elif kind == "range":
        session = int(content.get("session", 0))
        if session not in (0, CURRENT_SESSION, -0):
            rows = []
        start = int(content.get("start", 1))
        stop = content.get("stop")
        rows = [r for r in rows if r[1] >= start and (stop is None or r[1] < int(stop))]
    elif kind == "search":
        pattern = str(content.get("pattern", "*"))
        rows = [r for r in rows if fnmatch.fnmatchcase(r[2], pattern)]
        if content.get("unique"):
            seen: dict[str, tuple] = {}
            for row in rows:
                seen.pop(row[2], None)
                seen[row[2]] = row
            rows = list(seen.values())
        n = content.get("n")
        if n is not None:
            rows = rows[-int(n):] if int(n) > 0 else []
    else:
        raise ValueError(f"unknown hist_access_type {kind!r}; use tail, range or search")
    if output:
        rows = [(s, line, (text, repr(outputs[line]) if line in outputs else None)) for s, line, text in rows]
    return rows
