"""↑/↓, Ctrl-R and auto-suggest over the engine's persistent history.

Usage::

    history = EngineHistory(shell.history)          # starts reading in a thread at once
    PromptSession(history=history)
    history.when_loaded(feed_keys_typed_ahead)      # runs once ↑ can reach every string

prompt_toolkit asks a History for its strings once, newest first, and then
keeps the cells accepted in this session in memory. The engine stores each
cell it runs (:class:`~shell.engine.history.store.HistoryStore`), so this adapter
stores nothing itself: it only reads ``last(n)``, the raw sources of recent
cells across sessions, each once.

The read starts when the adapter is made (or with the instant prompt, which
hands its :class:`~shell.terminal.instant.HistoryPreload` over), in a
thread, and prompt_toolkit's first render waits for it: unlike
prompt_toolkit's ThreadedHistory, whose strings trickle in after the first
keys are handled, ↑ pressed the moment the prompt appears finds them.
"""

from __future__ import annotations

from typing import Any, AsyncGenerator, Callable, Iterable, Sequence

from prompt_toolkit.history import History

from shell.terminal.instant import HistoryPreload

__all__ = ["EngineHistory"]


class EngineHistory(History):
    """The HistoryStore's recent cells, read once (newest first), after ``recent`` cells of this session."""

    def __init__(self, store: Any, *, limit: int = 10000, preload: HistoryPreload | None = None,
                 recent: Sequence[str] = ()):
        super().__init__()
        self.store = store
        self.limit = limit
        self._preload = preload or HistoryPreload(store, limit)
        self._recent = list(recent)  # oldest first: cells run before this prompt existed (the instant prompt's)
        self._when_loaded: list[Callable[[], None]] = []

    def load_history_strings(self) -> Iterable[str]:
        recent = self._recent[::-1]
        return recent + [string for string in self._preload.strings() if string not in recent]

    async def load(self) -> AsyncGenerator[str, None]:
        async for string in super().load():
            yield string
        # prompt_toolkit's buffer has taken every string: what waited for that may run now.
        waiting, self._when_loaded = self._when_loaded, []
        for callback in waiting:
            callback()

    def when_loaded(self, callback: Callable[[], None]) -> bool:
        """Call ``callback`` once a prompt's buffer holds every string (in the same turn of the event loop,
        before any key read after it); False, and no call, when that has already happened."""
        if self._loaded:
            return False
        self._when_loaded.append(callback)
        return True

    def store_string(self, string: str) -> None:
        """Nothing to do: the engine stores every cell it runs."""
