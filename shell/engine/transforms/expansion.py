"""``$name`` and ``{expr}`` expansion in shell lines and in magics that ask for it.

``expand("ls $d {n+1}", ns)`` returns ``"ls /tmp 3"`` when ``ns`` has
``d="/tmp"`` and ``n=2``. ``$$`` is a literal ``$`` and ``{{``/``}}`` are
literal braces. A name that is not defined, or an expression that fails,
is left as typed, so ``!echo $HOME`` still reaches the shell's own
expansion and ``!ls {a,b}`` its brace expansion.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

_DOLLAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def expand(text: str, namespace: Mapping[str, Any]) -> str:
    """Expand ``$name``, ``$$``, ``{expr}``, ``{{`` and ``}}`` in ``text``."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "$":
            if text.startswith("$$", i):
                out.append("$")
                i += 2
                continue
            match = _DOLLAR_NAME.match(text, i + 1)
            if match:
                value = _lookup(match.group(), namespace)
                out.append(text[i:match.end()] if value is _MISSING else str(value))
                i = match.end()
                continue
        elif ch == "{":
            if text.startswith("{{", i):
                out.append("{")
                i += 2
                continue
            end = _closing_brace(text, i)
            if end is not None:
                value = _evaluate(text[i + 1:end], namespace)
                out.append(text[i:end + 1] if value is _MISSING else str(value))
                i = end + 1
                continue
        elif ch == "}" and text.startswith("}}", i):
            out.append("}")
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


_MISSING = object()


def _lookup(dotted: str, namespace: Mapping[str, Any]) -> Any:
    head, *attrs = dotted.split(".")
    if head not in namespace:
        return _MISSING
    value = namespace[head]
    for attr in attrs:
        try:
            value = getattr(value, attr)
        except Exception:
            return _MISSING
    return value


def _evaluate(expr: str, namespace: Mapping[str, Any]) -> Any:
    if not expr.strip():
        return _MISSING
    try:
        return eval(expr, {"__builtins__": __builtins__}, dict(namespace))
    except Exception:
        return _MISSING


def _closing_brace(text: str, start: int) -> int | None:
    depth = 0
    quote = None
    for j in range(start, len(text)):
        ch = text[j]
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return j
    return None
