"""Answering ``history_request``: tail, range and search (with ``unique`` and ``n``).

The shell's history store answers, across sessions; the cells of the
current session carry its session number (the store says 0 for "this
session", which a front end could not ask again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from shell.engine.history.store import HistoryStore
    from shell.engine.shell import Shell


def history_entries(shell: Shell, content: dict[str, Any]) -> list[list[Any]]:
    """The ``history`` list of a ``history_reply``: ``[session, line, input]`` or ``[.., [input, output]]``."""
    kind = str(content.get("hist_access_type"))
    output = bool(content.get("output", False))
    raw = bool(content.get("raw", True))
    store = shell.history
    rows = list(_from_store(store, kind, content, raw, output))
    if any(row[0] == 0 for row in rows):
        # the store answers "this session" as 0; a front end needs the number to ask again
        current = store.session_number
        rows = [(current, *row[1:]) if row[0] == 0 else row for row in rows]
    return [list(row[:2]) + [list(row[2]) if isinstance(row[2], tuple) else row[2]] for row in rows]


def _from_store(store: HistoryStore, kind: str, content: dict[str, Any], raw: bool, output: bool) -> Iterable:
    if kind == "tail":
        return store.tail(int(content.get("n", 10)), raw=raw, output=output, include_latest=True)
    if kind == "range":
        return store.get_range(int(content.get("session", 0)), int(content.get("start", 1)),
                               _optional_int(content.get("stop")), raw=raw, output=output)
    if kind == "search":
        n = content.get("n")
        return store.search(str(content.get("pattern", "*")), raw=raw, output=output,
                            n=int(n) if n is not None else None, unique=bool(content.get("unique", False)))
    raise ValueError(f"unknown hist_access_type {kind!r}; use tail, range or search")


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)
