"""The Tab menu: the engine's completions as prompt_toolkit ``Completion`` objects.

Usage::

    PromptSession(completer=EngineCompleter(shell), complete_in_thread=True)

The engine (``shell.complete(text, cursor)``) decides what can go at the
cursor, within its own time budget; this adapter only translates. Each
menu entry shows the completion's type and, for functions and classes, its
signature, in the menu's right-hand column.
"""

from __future__ import annotations

from typing import Any, Iterable

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

__all__ = ["EngineCompleter"]

_META_WIDTH = 60


class EngineCompleter(Completer):
    """A prompt_toolkit Completer asking the shell's engine."""

    def __init__(self, shell: Any):
        self.shell = shell

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        text, cursor = document.text, document.cursor_position
        if not complete_event.completion_requested and not text[:cursor].strip():
            return  # completing while typing: not on an empty line
        try:
            result = self.shell.complete(text, cursor)
        except Exception:  # noqa: BLE001 - a completion bug must never break typing
            return
        start = min(result.start, cursor)
        seen: set[str] = set()
        for match in result.matches:
            if match.text in seen:
                continue
            seen.add(match.text)
            yield Completion(match.text, start_position=start - cursor, display=match.text,
                             display_meta=_meta(match.type, match.signature))


def _meta(kind: str, signature: str) -> str:
    """What the menu shows beside a completion: ``function (a, b=1)``, ``module``..."""
    text = f"{kind} {signature}".strip() if signature else kind
    return text if len(text) <= _META_WIDTH else text[: _META_WIDTH - 1] + "…"
