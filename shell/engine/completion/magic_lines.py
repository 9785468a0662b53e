"""Magic names, magic options and magic arguments.

Usage::

    magic_name_candidates(shell.magics, "%ti", start=0, cursor=3)      # %time, %timeit
    magic_name_candidates(shell.magics, "%%ba", start=0, cursor=4)     # %%bash
    option_candidates(shell.magics, "line", "timeit", "-", 8, 9)       # -n, -r, -o, ...
    body_candidates(shell.magics, "cell", "sql", "%%sql\nSELECT * FROM cu", 6, 23, deadline=d)  # customers

Names come from the registry's listing, which imports no magic's module.
Options come from the argparse parser the magic declares with
``@magic_arguments``/``@argument`` (see :mod:`magics.arguments`), so
completing ``%timeit -`` imports the timing magics once — the same import
running the magic would do. Words inside a magic's own text come from the
completer the magic declares with ``@completer_for`` (see
:mod:`magics.completion`), within the request's deadline. Which magics take
paths or Python is said here, in :data:`PATH_MAGICS` and :data:`PYTHON_MAGICS`.
"""

from __future__ import annotations

import re
from typing import Any

from magics.completion import BodyCompletion
from shell.engine.completion.model import Candidate
from shell.engine.completion.runtime import prefix_matcher

__all__ = ["PATH_MAGICS", "PYTHON_MAGICS", "body_candidates", "magic_name_candidates", "option_candidates",
           "option_strings"]

_BODY_WORD = re.compile(r"[\w.$]*\Z")

PATH_MAGICS: dict[str, str] = {
    "run": "file", "load": "file", "pycat": "file", "loadpy": "file", "edit": "file", "save": "file",
    "writefile": "file", "less": "file", "more": "file", "cat": "file", "cd": "directory",
    "bookmark": "directory", "pushd": "directory",
}
"""Magics whose arguments are file (or, for ``cd``, folder) paths."""

PYTHON_MAGICS = frozenset({"time", "timeit", "prun", "debug", "pinfo", "pinfo2", "psearch", "page",
                           "capture", "xdel", "whos", "who", "pdef", "pdoc", "psource", "pfile"})
"""Magics whose argument (line magics) or body (cell magics) is Python: completed as Python."""


def magic_name_candidates(registry: Any, typed: str, start: int, cursor: int, *,
                          first_line: bool = True) -> list[Candidate]:
    """``%ti`` → ``%time``, ``%timeit``; ``%%ba`` → ``%%bash``; ``%%`` names only on a cell's first line."""
    cell = typed.startswith("%%")
    match = prefix_matcher(typed[2:] if cell else typed[1:])
    found = []
    if cell or first_line:
        found += [Candidate(f"%%{magic}", start, cursor, "magic", prefix=typed, source="magics")
                  for magic in _names(registry, "cell") if match(magic)]
    if not cell:
        found += [Candidate(f"%{magic}", start, cursor, "magic", prefix=typed, source="magics")
                  for magic in _names(registry, "line") if match(magic)]
    return found


def automagic_candidates(registry: Any, prefix: str, start: int, cursor: int,
                         shadowed: Any, *, cell_start: bool = False) -> list[Candidate]:
    """``ti`` at the start of a statement → ``%timeit``, when automagic is on and nothing shadows it.

    At the very start of a cell (``cell_start``) the cell magics come too, ``fil`` → ``%%file``, as IPython
    offers them.
    """
    if not prefix:
        return []
    match = prefix_matcher(prefix)
    found = [Candidate(f"%{magic}", start, cursor, "magic", prefix=prefix, source="magics")
             for magic in _names(registry, "line") if match(magic) and not shadowed(magic)]
    if cell_start:
        found += [Candidate(f"%%{magic}", start, cursor, "magic", prefix=prefix, source="magics")
                  for magic in _names(registry, "cell") if match(magic)]
    return found


def option_strings(registry: Any, kind: str, name: str) -> list[str]:
    """The option strings a magic's parser declares (``-n``, ``--number``...), [] if none or unknown."""
    try:
        magic = registry.find(kind, name)
    except Exception:  # MagicNotFound, or a module that fails to import
        return []
    if not hasattr(magic.func, "__magic_arguments__"):
        return []
    from magics.arguments import construct_parser

    try:
        parser = construct_parser(magic.func)
    except Exception:
        return []
    return [option for action in parser._actions for option in action.option_strings]


def option_candidates(registry: Any, kind: str, name: str, typed: str, start: int,
                      cursor: int) -> list[Candidate]:
    """``%timeit -`` → the magic's options starting with what was typed."""
    return [Candidate(option, start, cursor, "option", prefix=typed, source="magic options")
            for option in option_strings(registry, kind, name) if option.startswith(typed)]


def body_candidates(registry: Any, kind: str, name: str, text: str, body_start: int, cursor: int, *,
                    deadline: float) -> list[Candidate]:
    """Words a magic offers for its own line or cell body (``%%sql``: table and column names).

    A magic offers them through the completer it declares with
    :func:`magics.completion.completer_for`, which gets the body split at the
    cursor and the ``deadline``, and returns ``(word, kind)`` pairs; the word
    before the cursor (dots included) is what they must start with. A line
    magic's text ends at its line.
    """
    try:
        complete = registry.find(kind, name).completer
        if complete is None:
            return []
        body_end = len(text) if kind == "cell" else _line_end(text, cursor)
        before = text[body_start:cursor]
        word = _BODY_WORD.search(before)
        assert word is not None  # it matches the empty word at the end
        typed = word.group()
        match = prefix_matcher(typed)
        words = complete(BodyCompletion(kind, name, before, text[cursor:body_end], deadline))
        return [Candidate(word, cursor - len(typed), cursor, word_kind, prefix=typed, source=f"%{name}")
                for word, word_kind in words if match(word)]
    except Exception:  # a magic's own completer must not break typing
        return []


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end == -1 else end


def _names(registry: Any, kind: str) -> list[str]:
    try:
        return list(registry.names(kind))
    except Exception:  # a broken third-party entry point must not break completion
        return []
