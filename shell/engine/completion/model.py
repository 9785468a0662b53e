"""What a completion request returns: :class:`Completion` and :class:`CompletionResult`.

A front end replaces ``text[result.start:result.end]`` with one
completion's ``text``. Every completion in a result shares that span (the
ranking step widens narrower ones), which is what Jupyter's
``complete_reply`` (one ``cursor_start``/``cursor_end``) and a terminal menu
both want. ``type`` says what the completion is, for the menu's icon or
colour; ``signature`` is filled where it costs next to nothing.

Sources do not build these directly: they yield :class:`Candidate` objects,
which may carry the object they name so a signature can be computed later,
for the few candidates a menu will actually show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Candidate", "Completion", "CompletionResult", "TYPES"]

TYPES = frozenset({
    "function", "class", "module", "keyword", "instance", "statement", "param", "property",
    "path", "magic", "option", "dict key", "latex", "unicode", "table", "column",
})
"""The values ``Completion.type`` takes (jedi's names, plus hocus's own kinds; ``table`` and
``column`` are what ``%%sql`` offers)."""

# Completions of these types are Python names: ``_private`` ones are hidden until ``_`` is typed.
NAME_TYPES = frozenset({"function", "class", "module", "instance", "statement", "param", "property"})


@dataclass(frozen=True)
class Completion:
    """One completion: replace ``text[start:end]`` with ``text``."""

    text: str
    start: int
    end: int
    type: str = ""
    signature: str = ""


@dataclass(frozen=True)
class CompletionResult:
    """The answer to one request: sorted matches sharing one replacement span."""

    matches: list[Completion]
    start: int
    end: int

    @property
    def texts(self) -> list[str]:
        """The completion texts alone, in order (what ``complete_reply`` calls ``matches``)."""
        return [match.text for match in self.matches]


@dataclass
class Candidate:
    """A source's suggestion, before merging: like :class:`Completion`, plus where it came from.

    ``prefix`` is what the user typed that this candidate completes (it is
    what ranking compares against); ``obj`` is the object the name refers
    to, when the source had it at hand without evaluating anything, so the
    completer can ask for its signature once it knows the candidate will be
    shown.
    """

    text: str
    start: int
    end: int
    type: str = ""
    signature: str = ""
    prefix: str = ""
    obj: Any = field(default=None, repr=False, compare=False)
    source: str = ""
