"""File and folder names: in string literals (``open("da``), after ``%run``, ``%cd``, ``!ls``.

Usage::

    path_candidates("~/Doc", 6, 11)       # open("~/Doc: the home folder's Doc* entries, from offset 8
    path_candidates("scr", 5, 8, shell_words=True, directories_only=True)     # %cd scr

Only the last component of the typed path is replaced, so whatever the user
wrote before it (``~``, ``../``, a folder) stays as typed; ``~`` is expanded only to find the folder to list. Folders end with
``/`` so the next Tab goes on inside them. Names starting with ``.`` are
hidden until a ``.`` is typed, as in a shell. A name that is not valid
UTF-8 (possible on POSIX file systems) cannot be typed into a cell or sent
to a notebook, so it is skipped rather than offered half-decoded.
"""

from __future__ import annotations

import os
import re

from shell.engine.completion.model import Candidate

__all__ = ["path_candidates", "escape_shell_word"]

MAX_ENTRIES = 5000  # a folder with a million files must not hold up a keystroke
_SHELL_SPECIAL = set(" \t\"'\\()[]{}&;!$`|<>*?#")


def path_candidates(typed: str, start: int, cursor: int, *, directories_only: bool = False,
                    quote: str = "", shell_words: bool = False) -> list[Candidate]:
    """Entries of the folder ``typed`` points into whose names start with its last component.

    ``typed`` is the path text before the cursor (it begins at ``start``).
    ``quote``: the string literal's quote, so names containing it (which
    would end the literal) are skipped; ``shell_words``: escape spaces and
    shell characters with backslashes, for magics and ``!`` lines.
    """
    cut = max(typed.rfind("/"), typed.rfind(os.sep))
    folder_part, prefix = typed[: cut + 1], typed[cut + 1:]
    if typed.startswith("~") and cut == -1:
        return [Candidate("~/", start, cursor, "path", prefix=typed, source="paths")] if typed == "~" else []
    if shell_words:
        folder_part, prefix = _unescape(folder_part), _unescape(prefix)
    folder = os.path.expanduser(folder_part) if folder_part else os.curdir
    replace_from = start + cut + 1
    found: list[Candidate] = []
    try:
        entries = os.scandir(folder)
    except (OSError, ValueError):
        return []
    with entries:
        for count, entry in enumerate(entries):
            if count >= MAX_ENTRIES:
                break
            name = entry.name
            if not name.startswith(prefix) or (name.startswith(".") and not prefix.startswith(".")):
                continue
            if not _typeable(name) or (quote and (quote[0] in name or "\\" in name)):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if directories_only and not is_dir:
                continue
            shown = escape_shell_word(name) if shell_words else name
            found.append(Candidate(shown + ("/" if is_dir else ""), replace_from, cursor, "path",
                                   prefix=prefix, source="paths"))
    return found


def _unescape(word: str) -> str:
    return re.sub(r"\\(.)", r"\1", word)


def _typeable(name: str) -> bool:
    """False for names decoded with surrogate escapes (bytes that are not UTF-8)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return name.isprintable()


def escape_shell_word(name: str) -> str:
    """``my file.py`` → ``my\\ file.py``: one word for a magic's shell-like argument line."""
    return "".join("\\" + char if char in _SHELL_SPECIAL else char for char in name)
