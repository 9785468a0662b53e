"""The signature toolbar: ``name(signature)  — first docstring line`` of the call under the cursor.

Usage::

    toolbar = SignatureToolbar(shell)
    toolbar.text_for("print(1, ", 9)     # 'print(*args, sep=..., end=..., file=..., flush=...)  — Prints the values...'

As in ptpython, while the cursor is inside the parentheses of a call, the
toolbar under the prompt shows what is being called. The callee is found
by name in the user namespace and builtins, attribute by attribute with
:func:`inspect.getattr_static`, so no property, ``__getattr__`` or other
user code runs while typing.
"""

from __future__ import annotations

import builtins
import inspect
import re
from typing import Any

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
        self._cache: dict[int, str] = {}

    def __call__(self) -> list[tuple[str, str]]:
        from prompt_toolkit.application.current import get_app

        document = get_app().current_buffer.document
        text = self.text_for(document.text, document.cursor_position)
        return [("class:bottom-toolbar.text", text)] if text else []

    def text_for(self, text: str, cursor: int) -> str:
        name = call_under_cursor(text[max(0, cursor - 2000):cursor])
        if not name:
            return ""
        obj = _resolve(name, self.shell.user_ns)
        if obj is None or not callable(obj):
            return ""
        key = id(obj)
        if key not in self._cache:
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = _describe(name.rsplit(".", 1)[-1], obj)
        return self._cache[key]


def _resolve(name: str, namespace: dict[str, Any]) -> Any:
    first, *rest = name.split(".")
    if first in namespace:
        obj = namespace[first]
    elif hasattr(builtins, first):
        obj = getattr(builtins, first)
    else:
        return None
    for part in rest:
        try:
            obj = inspect.getattr_static(obj, part)
        except AttributeError:
            return None
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        elif isinstance(obj, property):
            return None
    return obj


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
