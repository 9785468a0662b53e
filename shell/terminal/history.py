"""↑/↓, Ctrl-R and auto-suggest over the engine's persistent history.

Usage::

    PromptSession(history=ThreadedHistory(EngineHistory(shell.history)))

prompt_toolkit asks a History for its strings once, newest first, and then
keeps the cells accepted in this session in memory. The engine stores each
cell it runs (:class:`~shell.engine.history.HistoryStore`), so this adapter
stores nothing itself: it only reads ``last(n)``, the raw sources of recent
cells across sessions, each once.
"""

from __future__ import annotations

from typing import Any, Iterable

from prompt_toolkit.history import History

__all__ = ["EngineHistory"]


class EngineHistory(History):
    """The HistoryStore's recent cells, read once (newest first)."""

    def __init__(self, store: Any, *, limit: int = 10000):
        super().__init__()
        self.store = store
        self.limit = limit

    def load_history_strings(self) -> Iterable[str]:
        try:
            return list(self.store.last(self.limit, unique=True))
        except Exception:  # noqa: BLE001 - the store already warned; typing goes on without history
            return []

    def store_string(self, string: str) -> None:
        """Nothing to do: the engine stores every cell it runs."""
