"""Highlighting while typing: Python, with hocus's own syntax understood.

Usage::

    from prompt_toolkit import PromptSession
    PromptSession(lexer=CellLexer())

A cell is highlighted by what it is, as the engine will run it:

- ``%%bash`` / ``%%sh`` / ``%%script bash`` cells as bash, ``%%sql`` as SQL,
  ``%%html``, ``%%javascript``, ``%%latex``, ``%%markdown`` by their own
  lexers; the ``%%magic`` line itself as a magic;
- in a Python cell, a line starting with ``!`` (or ``x = !cmd``) as shell,
  a ``%magic`` line with the magic name marked, and everything else as
  Python (pygments' Python lexer, run over the whole cell so strings and
  brackets spanning lines come out right).
"""

from __future__ import annotations

import re
import threading
from typing import Callable, Iterable, Protocol

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer, PygmentsLexer
from prompt_toolkit.styles.pygments import pygments_token_to_classname

__all__ = ["CellLexer", "cell_language"]

# %%magic name -> pygments lexer alias for the body
_CELL_LANGUAGES = {
    "bash": "bash", "sh": "bash", "zsh": "bash", "system": "bash", "sx": "bash",
    "sql": "sql", "html": "html", "javascript": "javascript", "js": "javascript",
    "latex": "latex", "markdown": "markdown", "svg": "xml", "perl": "perl", "ruby": "ruby",
    "python": "python", "python3": "python", "pypy": "python", "writefile": "text",
    "capture": "python", "time": "python", "timeit": "python", "prun": "python",
}
_CELL_MAGIC = re.compile(r"\s*%%(\w+)\s*(.*)")
_SHELL_LINE = re.compile(r"(\s*(?:[A-Za-z_][\w.,\s]*=\s*)?)(!!?)(.*)")
_LINE_MAGIC = re.compile(r"(\s*(?:[A-Za-z_][\w.,\s]*=\s*)?)(%\w+)(.*)")


def cell_language(text: str) -> str:
    """The pygments alias a cell's body is highlighted with: 'python' unless it is a ``%%magic`` cell."""
    match = _CELL_MAGIC.match(text.split("\n", 1)[0])
    if match is None:
        return "python"
    name, rest = match.groups()
    if name == "script" and rest.split():
        program = rest.split()[0].rsplit("/", 1)[-1]
        return "bash" if program in ("bash", "sh", "zsh") else _CELL_LANGUAGES.get(program, "text")
    return _CELL_LANGUAGES.get(name, "text")


class _TokenLexer(Protocol):
    """The one call made on a pygments lexer here (pygments ships no type hints).

    A pygments token type is a tuple of names, e.g. ``("Name", "Exception")``.
    """

    def get_tokens(self, text: str) -> Iterable[tuple[tuple[str, ...], str]]: ...


def _lex_line(lexer: _TokenLexer, text: str) -> StyleAndTextTuples:
    """One line through a pygments lexer, as prompt_toolkit fragments."""
    fragments: StyleAndTextTuples = []
    for token, value in lexer.get_tokens(text):
        value = value.rstrip("\n") if value.endswith("\n") else value
        if value:
            fragments.append(("class:" + pygments_token_to_classname(token), value))
    return fragments


class CellLexer(Lexer):
    """A prompt_toolkit lexer for whole cells: Python, magics, shell lines and ``%%lang`` cells."""

    def __init__(self) -> None:
        from pygments.lexers import get_lexer_by_name

        self._get_lexer = get_lexer_by_name
        self._pygments: dict[str, _TokenLexer] = {}
        # Making pygments' Python lexer compiles ~100 regular expressions (tens of ms): done in
        # a thread while the first prompt is drawn and the user starts typing, not before it.
        self._python_ready = threading.Event()
        self._python: PygmentsLexer | None = None
        threading.Thread(target=self._make_python_lexer, name="hocus-lexer", daemon=True).start()

    def _make_python_lexer(self) -> None:
        try:
            from pygments.lexers.python import PythonLexer

            # By class, not by file name: a file-name lookup scans every installed pygments
            # plugin, which imports IPython when it is installed (half a second at start-up).
            self._python = PygmentsLexer(PythonLexer, sync_from_start=True)
            self._pygments_lexer("python")
            self._pygments_lexer("bash")
        finally:
            self._python_ready.set()

    def _pygments_lexer(self, alias: str) -> _TokenLexer:
        if alias not in self._pygments:
            try:
                self._pygments[alias] = self._get_lexer(alias, stripnl=False, ensurenl=False)
            except Exception:  # noqa: BLE001 - an unknown language is shown as text
                self._pygments[alias] = self._get_lexer("text", stripnl=False, ensurenl=False)
        return self._pygments[alias]

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        lines = document.lines
        if not document.text:
            return lambda lineno: []
        self._python_ready.wait()
        if self._python is None:  # pygments failed: plain text rather than no prompt
            return lambda lineno: [("", lines[lineno])] if lineno < len(lines) else []
        language = cell_language(document.text)
        if language != "python" or _CELL_MAGIC.match(lines[0] if lines else ""):
            return self._lex_cell_magic(lines, language)
        python_line = self._python.lex_document(document)
        bash = self._pygments_lexer("bash")

        def get_line(lineno: int) -> StyleAndTextTuples:
            try:
                line = lines[lineno]
            except IndexError:
                return []
            shell = _SHELL_LINE.match(line)
            if shell and not line.lstrip().startswith("!="):
                before, bang, command = shell.groups()
                return (_lex_line(self._python_pygments(), before) + [("class:shell-escape", bang)]
                        + _lex_line(bash, command))
            magic = _LINE_MAGIC.match(line)
            if magic and _is_magic_line(line):
                before, name, rest = magic.groups()
                return _lex_line(self._python_pygments(), before) + [("class:magic", name), ("", rest)]
            return python_line(lineno)

        return get_line

    def _python_pygments(self) -> _TokenLexer:
        return self._pygments_lexer("python")

    def _lex_cell_magic(self, lines: list[str], language: str) -> Callable[[int], StyleAndTextTuples]:
        body_lexer = self._pygments_lexer(language)
        body = "\n".join(lines[1:])
        rows: list[StyleAndTextTuples] = [[]]
        for token, value in body_lexer.get_tokens(body):
            style = "class:" + pygments_token_to_classname(token)
            parts = value.split("\n")
            for i, part in enumerate(parts):
                if i:
                    rows.append([])
                if part:
                    rows[-1].append((style, part))
        header = _CELL_MAGIC.match(lines[0]) if lines else None

        def get_line(lineno: int) -> StyleAndTextTuples:
            if lineno == 0:
                if header is None:
                    return [("", lines[0])] if lines else []
                name_end = lines[0].index("%%") + 2 + len(header.group(1))
                return [("class:magic", lines[0][:name_end]), ("", lines[0][name_end:])]
            index = lineno - 1
            return rows[index] if index < len(rows) else []

        return get_line


def _is_magic_line(line: str) -> bool:
    """``%name ...`` at the start, or ``x = %name``; not ``a % b`` (which has something before the %)."""
    stripped = line.lstrip()
    if stripped.startswith("%"):
        return True
    before = line.split("%", 1)[0]
    return bool(re.fullmatch(r"\s*[A-Za-z_][\w.,\s]*=\s*", before)) and "==" not in before
