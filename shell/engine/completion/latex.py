"""LaTeX and Unicode names, as in IPython and Julia.

- ``\\alpha<Tab>`` → ``α``; ``\\al<Tab>`` lists ``\\alpha``, ``\\aleph``...
  (each with its character as the signature, for the menu);
- ``\\N{GREEK SMALL LETTER ALPHA}<Tab>`` → ``α``, and ``\\N{GREEK SMALL L``
  lists the names that start so;
- the bare name too, as IPython: ``\\GREEK SMALL LETTER ALPHA<Tab>`` → ``α``
  (any case), and ``\\GREEK SMALL L`` lists ``\\GREEK SMALL LETTER ALPHA``...
  As in IPython, a bare name becomes its character only when that character
  can be part of a Python name, so ``\\SPACE`` in a string stays as typed;
  and a partial bare name must hold a space (a multi-word name), so a
  backslash word in a Windows path still completes as a path;
- back again: ``\\α<Tab>`` → ``\\alpha`` and ``\\N{GREEK SMALL LETTER ALPHA}``.

These completions win over every other source: a backslash word right
before the cursor is never Python.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata

from shell.engine.completion.latex_symbols import REVERSE_LATEX_SYMBOLS, full_table
from shell.engine.completion.model import Candidate

__all__ = ["latex_candidates"]

_LATEX_WORD = re.compile(r"\\[A-Za-z0-9^_+\-=()]*\Z")
_UNICODE_NAME = re.compile(r"\\N\{([A-Za-z0-9 \-]*)\}?\Z")
_BARE_UNICODE_NAME = re.compile(r"\\([A-Za-z][A-Za-z0-9 \-]*)\Z")
MAX_NAMES = 200
# Planes 0-3 and the tag/variation-selector block hold every named character; skipping the empty
# planes makes the one-off name scan a few times faster.
_NAMED_PLANES = (range(0x40000), range(0xE0000, 0xE0200))


def latex_candidates(before: str, cursor: int) -> list[Candidate] | None:
    """Completions for a backslash word ending at the cursor; None when there is none.

    An unknown ``\\N{...`` name gives [] (nothing else applies there); an
    unknown ``\\word`` gives None, so a Windows path in a string still
    completes as a path.
    """
    slash = before.rfind("\\")
    if slash == -1:
        return None
    word = before[slash:]
    if match := _UNICODE_NAME.match(word):
        return _unicode_name(match.group(1), slash, cursor, word)
    if len(word) == 2 and not word[1].isascii():
        return _back(word[1], slash, cursor, word)
    table = full_table()
    if word in table:
        symbol = table[word]
        return [Candidate(symbol, slash, cursor, "latex", signature=symbol, prefix=word, source="latex")]
    bare = _BARE_UNICODE_NAME.match(word)
    if bare and (char := _name_character(bare.group(1))):
        return [Candidate(char, slash, cursor, "unicode", signature=char, prefix=word, source="unicode")]
    if _LATEX_WORD.match(word) and len(word) >= 2:
        latex = [Candidate(name, slash, cursor, "latex", signature=symbol, prefix=word, source="latex")
                 for name, symbol in table.items() if name.startswith(word)]
        if latex:
            return latex
    if bare and " " in bare.group(1):
        return _names_starting(bare.group(1), slash, cursor, word, "\\{}") or None
    return None


def _name_character(name: str) -> str | None:
    """The character a bare ``\\NAME`` stands for: one that can go in a Python name, as IPython asks."""
    try:
        char = unicodedata.lookup(name)
    except KeyError:
        return None
    return char if ("a" + char).isidentifier() else None


def _back(char: str, start: int, cursor: int, word: str) -> list[Candidate] | None:
    found = []
    if char in REVERSE_LATEX_SYMBOLS:
        found.append(Candidate(REVERSE_LATEX_SYMBOLS[char], start, cursor, "latex", signature=char,
                               prefix=word, source="latex"))
    name = unicodedata.name(char, "")
    if name:
        found.append(Candidate(f"\\N{{{name}}}", start, cursor, "unicode", signature=char, prefix=word,
                               source="latex"))
    return found or None


def _unicode_name(typed: str, start: int, cursor: int, word: str) -> list[Candidate]:
    try:
        char = unicodedata.lookup(typed)
    except KeyError:
        char = None
    if char is not None and typed:
        return [Candidate(char, start, cursor, "unicode", signature=char, prefix=word, source="unicode")]
    if not typed.strip():
        return []
    return _names_starting(typed, start, cursor, word, "\\N{{{}}}")


def _names_starting(typed: str, start: int, cursor: int, word: str, spelling: str) -> list[Candidate]:
    """The Unicode names that start with ``typed``, each written as ``spelling`` formats it."""
    names = _unicode_names()
    upper = typed.upper()
    first = bisect.bisect_left(names, upper)
    found = []
    for name in names[first:first + MAX_NAMES]:
        if not name.startswith(upper):
            break
        found.append(Candidate(spelling.format(name), start, cursor, "unicode", signature=unicodedata.lookup(name),
                               prefix=word, source="unicode"))
    return found


@functools.cache
def _unicode_names() -> list[str]:
    """Every named character's name, sorted; built once, on the first partial ``\\N{``."""
    names = []
    for code in itertools.chain(*_NAMED_PLANES):
        name = unicodedata.name(chr(code), "")
        if name:
            names.append(name)
    names.sort()
    return names
