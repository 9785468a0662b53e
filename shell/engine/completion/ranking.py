"""Merging the sources' candidates into one sorted, de-duplicated list.

The order is the one IPython users expect from a good menu:

1. candidates that start with what was typed *in the same case* come
   before those matching only case-insensitively (``df.Co`` → ``Count``
   before ``columns``);
2. public names before ``_private`` ones before ``__dunder__`` ones — and
   ``_private`` and ``__dunder__`` names are not offered at all until the
   user has typed a ``_``;
3. in a call, keyword arguments (``sep=``) before other names;
4. then alphabetically, ignoring case (and a magic's ``%`` or ``%%``, so
   ``%time`` and ``%%time`` stand together, as in IPython).

All completions of one result share one replacement span: a candidate
that replaces less than the others (jedi's ``sep=`` against a path
starting earlier) gets the text in between put in front of its own.
"""

from __future__ import annotations

from typing import Iterable

from shell.engine.completion.model import NAME_TYPES, Candidate

__all__ = ["privacy", "rank"]


def privacy(name: str) -> int:
    """0 for public names, 1 for ``_private``, 2 for ``__dunder__``."""
    name = name.rstrip("=")
    if name.startswith("__") and name.endswith("__") and len(name) > 4:
        return 2
    return 1 if name.startswith("_") else 0


def rank(candidates: Iterable[Candidate], text: str) -> tuple[list[Candidate], int, int]:
    """Filter, widen to one span, de-duplicate and sort; returns (candidates, start, end)."""
    kept = [c for c in candidates if _shown(c)]
    if not kept:
        return [], -1, -1
    start = min(c.start for c in kept)
    end = max(c.end for c in kept)
    merged: dict[str, Candidate] = {}
    keys: dict[str, tuple] = {}
    for candidate in kept:
        full = text[start:candidate.start] + candidate.text + text[candidate.end:end]
        if full in merged:
            _fill_in(merged[full], candidate)
            continue
        keys[full] = _sort_key(candidate)
        candidate.text, candidate.start, candidate.end = full, start, end
        merged[full] = candidate
    order = sorted(merged, key=lambda full: (keys[full], full))
    return [merged[full] for full in order], start, end


def _shown(candidate: Candidate) -> bool:
    if candidate.type in NAME_TYPES or candidate.type == "keyword":
        return not candidate.text.startswith("_") or candidate.prefix.startswith("_")
    return True


def _sort_key(candidate: Candidate) -> tuple:
    exact = candidate.text.startswith(candidate.prefix)
    is_name = candidate.type in NAME_TYPES or candidate.type == "keyword"
    # ``%time`` beside ``%%time`` (line magic first), as IPython lists them
    return (not exact, privacy(candidate.text) if is_name else 0, candidate.type != "param",
            candidate.text.lstrip("%").casefold(), len(candidate.text))


def _fill_in(kept: Candidate, other: Candidate) -> None:
    """Two sources found the same completion: keep the first, with what the other knew more."""
    if not kept.type or (kept.type == "instance" and other.type in ("function", "class", "module", "property")):
        kept.type = other.type or kept.type
    if not kept.signature and other.signature:
        kept.signature = other.signature
    if kept.obj is None:
        kept.obj = other.obj
