"""The signature toolbar: ``name(signature)  — first docstring line`` of the call under the cursor.

Usage::

    toolbar = SignatureToolbar(shell)
    toolbar.text_for("print(1, ", 9)     # 'print(*args, sep=..., end=..., file=..., flush=...)  — Prints the values...'

As in ptpython, while the cursor is inside the parentheses of a call, the
toolbar under the prompt shows what is being called. The callee is found
by the completer's safe :class:`~shell.engine.completion.evaluation.Evaluator`
(static attribute lookups only), so no property, ``__getattr__`` or other
user code runs while typing.
"""

from __future__ import annotations

import inspect
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prompt_toolkit.formatted_text import StyleAndTextTuples  # only for the checker

__all__ = ["SignatureToolbar", "call_under_cursor"]

_NAME_BEFORE = re.compile(r"([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)\s*$")
_MAX = 160


def call_under_cursor(text: str) -> str | None:
    """The dotted name whose call's parentheses enclose the end of ``text``, if any."""
    depth = 0
    quote = None
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if quote:
            if char == quote:
                quote = None
            continue
        if char in "'\"":
            quote = char
        elif char in ")]}":
            depth += 1
        elif char in "([{":
            if depth == 0:
                if char != "(":
                    return None
                match = _NAME_BEFORE.search(text[:index])
                return match.group(1) if match else None
            depth -= 1
    return None


class SignatureToolbar:
    """A callable for prompt_toolkit's ``bottom_toolbar``, with a cache per callee."""

    def __init__(self, shell: Any):
        self.shell = shell
        self._cache: dict[tuple[str, int], str] = {}
        self._last: tuple[tuple[str, int, int], StyleAndTextTuples] | None = None

    def __call__(self) -> StyleAndTextTuples:
        """The toolbar's fragments; prompt_toolkit asks several times per redraw, so the last answer is kept."""
        from prompt_toolkit.application.current import get_app

        document = get_app().current_buffer.document
        key = (document.text, document.cursor_position, self.shell.execution_count)
        if self._last is None or self._last[0] != key:
            text = self.text_for(document.text, document.cursor_position)
            self._last = (key, [("class:bottom-toolbar.text", text)] if text else [])
        return self._last[1]

    def text_for(self, text: str, cursor: int) -> str:
        name = call_under_cursor(text[max(0, cursor - 2000):cursor])
        if not name:
            return ""
        obj = _resolve(name, self.shell.user_ns)
        if obj is None or not callable(obj):
            return ""
        key = (name, id(getattr(obj, "__func__", obj)))  # bound methods are made anew each time
        if key not in self._cache:
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = _describe(name.rsplit(".", 1)[-1], obj)
        return self._cache[key]


def _resolve(name: str, namespace: dict[str, Any]) -> Any:
    """The callable ``name`` names, found as completion finds it: no user code runs."""
    # Imported here: the completion package is not needed until the first call is typed.
    from shell.engine.completion.evaluation import Evaluator, InstanceOf, Unresolved

    try:
        obj = Evaluator(namespace).resolve(name)
    except Unresolved:
        return None
    return None if isinstance(obj, InstanceOf) else obj


def _describe(name: str, obj: Any) -> str:
    try:
        signature = str(inspect.signature(obj))
    except (TypeError, ValueError):
        signature = "(...)"
    doc = inspect.getdoc(obj) or ""
    first = doc.strip().split("\n", 1)[0] if doc else ""
    if first.startswith(name + "("):  # a builtin's docstring repeats its signature
        first = ""
    text = f"{name}{signature}" + (f"  — {first}" if first else "")
    return text if len(text) <= _MAX else text[: _MAX - 1] + "…"
