"""Deciding what is being completed, and asking the sources that know about it.

A :class:`Request` looks at the text before the cursor and picks the
context, most specific first:

1. a backslash word: LaTeX and Unicode names (:mod:`.latex`);
2. a ``%%magic`` first line or a ``%magic`` / automagic line: the magic's
   name, its options, or its arguments — paths for ``%run`` and ``%cd``,
   Python for ``%timeit`` and the other magics that take code;
3. a ``!`` line: paths;
4. Python: inside a string, keys after ``[`` else paths; an import
   statement; a bare path (``./fo``, ``/tmp/fo``, ``~/fo``, as IPython
   completes them outside strings); an attribute after ``.``; keys after ``[``; keyword
   arguments inside a call; else names.

Python contexts the fast sources cannot fully answer set
:attr:`Request.jedi_code`: the Python text that jedi should complete at its
end. The :class:`~.completer.Completer` runs jedi with what is left of the
budget.
"""

from __future__ import annotations

import builtins
import importlib
import re
import sys
import time
from collections import ChainMap
from typing import Any, Mapping, MutableMapping, cast

from shell.engine.completion import imports, keys, magic_lines, paths, runtime
from shell.engine.completion.context import Scan, StringAtCursor, Token, expression_start, scan
from shell.engine.completion.evaluation import Evaluator, Unresolved
from shell.engine.completion.latex import latex_candidates
from shell.engine.completion.model import Candidate
from shell.engine.transforms.syntax import Automagic, MagicAssignment

__all__ = ["Request"]

_IMPORT = re.compile(r"\s*import\s+(?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*)*([\w.]*)\Z")
_FROM_MODULE = re.compile(r"\s*from\s+(\.*)([\w.]*)\Z")
_FROM_KEYWORD = re.compile(r"\s*from\s+\.*[\w.]*\s+(\w*)\Z")
_FROM_NAMES = re.compile(r"\s*from\s+(\.*)([\w.]*)\s+import\s+\(?\s*(?:\w+(?:\s+as\s+\w+)?\s*,\s*)*(\w*)\Z")
_SHELL_WORD = re.compile(r"(?:\\.|[^\s\\])*\Z")
_MAGIC_NAME = re.compile(r"%%?[^\s]*")
# ``./fo``, ``../fo``, ``~/fo``, ``/tmp/fo`` typed as a bare word, as IPython completes outside strings.
_BARE_PATH = re.compile(r"(?:(?<=[\s(\[{,=;])|^)((?:~|\.{1,2})?/[^\s'\"()\[\]{},=;:]*)\Z")
_BINDING_WORDS = frozenset({"lambda", "for", "def", "class", "with", "as", "except", "global", "nonlocal"})
_MODULE_MAGICS = frozenset({"load_ext", "unload_ext", "reload_ext"})


def _matched(found: re.Match[str] | None) -> re.Match[str]:
    """``found``, from a pattern that matches wherever it is used: a name after ``%``, a last word that may be empty."""
    assert found is not None
    return found


class Request:
    """One completion request: ``run()`` returns the fast sources' candidates."""

    def __init__(self, text: str, cursor: int, *, namespace: Mapping[str, Any], registry: Any,
                 automagic: bool, unsafe: bool, modules: imports.ModuleIndex, deadline: float):
        self.text = text
        self.cursor = cursor
        # ``import os; os.pa``: names the cell imports before the cursor count, if already loaded.
        imported = imports.names_imported_before(text[:cursor])
        # (a ChainMap writes only to its first map: the user's namespace is only read)
        self.namespace: Mapping[str, Any] = (ChainMap(imported, cast(MutableMapping[str, Any], namespace))
                                             if imported else namespace)
        self.registry = registry
        self.automagic = automagic and registry is not None
        self.unsafe = unsafe
        self.modules = modules
        self.deadline = deadline
        self.evaluator = Evaluator(self.namespace, unsafe=unsafe)
        self.jedi_code: str | None = None

    def remaining(self) -> float:
        return max(self.deadline - time.monotonic(), 0.0)

    def run(self) -> list[Candidate]:
        latex = latex_candidates(self.text[: self.cursor], self.cursor)
        return latex if latex is not None else self._cell(0)

    # -- cells and IPython lines -----------------------------------------------------------
    def _cell(self, start: int) -> list[Candidate]:
        text, cursor = self.text, self.cursor
        if text.startswith("%%", start):
            newline = text.find("\n", start)
            if newline == -1 or cursor <= newline:
                return self._magic_line(start, "cell")
            name = _matched(_MAGIC_NAME.match(text, start)).group()[2:]
            if name in magic_lines.PYTHON_MAGICS:
                return self._cell(newline + 1)
            return magic_lines.body_candidates(self.registry, "cell", name, text, newline + 1, cursor,
                                               deadline=self.deadline)
        found = scan(text, cursor, start)
        if found.escaped:
            return self._escaped_line(found)
        assigned = MagicAssignment().escape_start(found.line)  # rows = %sql SELECT ..., files = !ls
        if assigned is not None:
            return self._escape_at(found.line_start + assigned)
        if found.comment:
            return []
        magic = self._automagic_line(found)
        if magic is not None:
            return magic
        return self._python(found, start)

    def _escaped_line(self, found: Scan) -> list[Candidate]:
        return self._escape_at(found.line_start + len(found.line) - len(found.line.lstrip(" \t")))

    def _escape_at(self, at: int) -> list[Candidate]:
        """The ``%magic``, ``!command`` or ``?obj`` starting at ``at``."""
        head = self.text[at]
        if head == "%":
            return self._magic_line(at, "cell" if self.text.startswith("%%", at) else "line")
        if head == "!":
            match = _matched(_SHELL_WORD.search(self.text, at, self.cursor))
            if self.text[at:match.start()].strip("! \t") == "":
                return []  # the command itself
            return paths.path_candidates(match.group(), match.start(), self.cursor, shell_words=True)
        rest = at + len(self.text[at:self.cursor]) - len(self.text[at:self.cursor].lstrip("?"))
        return self._python(scan(self.text, self.cursor, rest), rest)  # ?obj, ??obj

    def _magic_line(self, at: int, kind: str) -> list[Candidate]:
        name_end = _matched(_MAGIC_NAME.match(self.text, at)).end()
        if self.cursor <= name_end:
            first_line = not self.text[:at].strip()
            return magic_lines.magic_name_candidates(self.registry, self.text[at:self.cursor], at, self.cursor,
                                                     first_line=first_line)
        name = self.text[at + (2 if kind == "cell" else 1):name_end]
        return self._magic_arguments(kind, name, name_end)

    def _automagic_line(self, found: Scan) -> list[Candidate] | None:
        tokens = found.tokens
        if not self.automagic or not tokens or tokens[0].kind != "name":
            return None
        if len(tokens) == 1 and found.cursor == tokens[0].end:
            return None  # still typing the first word: that is a name (or a magic name) to complete
        line = self.text[tokens[0].start:self.cursor]
        if Automagic(self._is_automagic)(line) is None:
            return None
        return self._magic_arguments("line", tokens[0].text, tokens[0].end)

    def _is_automagic(self, name: str) -> bool:
        return self.registry.has("line", name) and not self._shadowed(name)

    def _shadowed(self, name: str) -> bool:
        return name in self.namespace or hasattr(builtins, name)

    def _magic_arguments(self, kind: str, name: str, args_start: int) -> list[Candidate]:
        word = _matched(_SHELL_WORD.search(self.text, args_start, self.cursor))
        typed = word.group()
        if typed.startswith("-"):
            options = magic_lines.option_candidates(self.registry, kind, name, typed, word.start(), self.cursor)
            if options:
                return options
        if name in magic_lines.PATH_MAGICS:
            return paths.path_candidates(typed, word.start(), self.cursor, shell_words=True,
                                         directories_only=magic_lines.PATH_MAGICS[name] == "directory")
        if name in _MODULE_MAGICS:
            return imports.module_candidates(self.modules, typed, word.start(), self.cursor, wait=self.remaining())
        if name in magic_lines.PYTHON_MAGICS:
            return self._python(scan(self.text, self.cursor, args_start), args_start)
        return magic_lines.body_candidates(self.registry, kind, name, self.text, args_start, self.cursor,
                                           deadline=self.deadline)

    # -- Python ---------------------------------------------------------------------------
    def _python(self, found: Scan, start: int) -> list[Candidate]:
        if found.string is not None:
            return self._in_string(found, found.string)
        statement = self._import(found)
        if statement is not None:
            return statement
        word_start, word = found.word()
        index = found.before_word()
        previous = found.tokens[index] if index >= 0 else None
        bare_path = _BARE_PATH.search(found.line, 0, self.cursor - found.line_start)
        if bare_path is not None:
            path_start = found.line_start + bare_path.start(1)
            listed = paths.path_candidates(bare_path.group(1), path_start, self.cursor)
            if word.isidentifier() and previous is not None and previous.text == "/":
                listed += runtime.name_candidates(self.namespace, word, word_start, self.cursor)
            return listed
        if word[:1].isdigit():
            if previous is not None and previous.text == "[":
                return self._keys(found, index, word, word_start, quote=None) or []
            return []
        if previous is not None and previous.text == ".":
            return self._attributes(found, index, word, word_start, start)
        bracket = index if previous is not None and previous.text == "[" else _loc_columns(found.tokens[:index + 1])
        if bracket is not None and not word:
            keyed = self._keys(found, bracket, "", self.cursor, quote=None)
            if keyed:
                return keyed  # ``d[``: the keys, as IPython offers; names only when there are none
        found_here: list[Candidate] = []
        call = found.brackets[-1] if found.brackets and found.brackets[-1].text == "(" else None
        if call is not None and previous is not None and (previous is call or previous.text == ","):
            found_here += self._keyword_arguments(found, call, word, word_start, start)
        found_here += runtime.name_candidates(self.namespace, word, word_start, self.cursor)
        if self.automagic and (previous is None or previous.text == ";"):
            found_here += magic_lines.automagic_candidates(
                self.registry, word, word_start, self.cursor, self._shadowed,
                cell_start=previous is None and not self.text[:word_start].strip())
        if _binds_names(found, start, index):
            self._want_jedi(start)
        return found_here

    def _attributes(self, found: Scan, dot: int, word: str, word_start: int, start: int) -> list[Candidate]:
        base_start = expression_start(found.tokens, dot - 1)
        if base_start is None:
            return []
        base = self.text[base_start:found.tokens[dot].start]
        candidates, resolved = runtime.attribute_candidates(self.evaluator, base, word, word_start, self.cursor)
        if not resolved:
            self._want_jedi(start)
        return candidates

    def _keyword_arguments(self, found: Scan, call: Token, word: str, word_start: int,
                           start: int) -> list[Candidate]:
        index = next(i for i, token in enumerate(found.tokens) if token is call)
        callee_start = expression_start(found.tokens, index - 1) if index > 0 else None
        if callee_start is None:
            return []
        callee = self.text[callee_start:call.start]
        candidates, resolved = runtime.keyword_argument_candidates(self.evaluator, callee, word, word_start,
                                                                   self.cursor)
        if not resolved:
            self._want_jedi(start)
        return candidates

    def _keys(self, found: Scan, bracket: int, typed: str, start: int, *, quote: str | None,
              bytes_literal: bool = False) -> list[Candidate] | None:
        """Keys of the object subscripted at ``tokens[bracket]``; None when it has no readable keys."""
        base_start = expression_start(found.tokens, bracket - 1) if bracket > 0 else None
        if base_start is None:
            return None
        try:
            target = self.evaluator.resolve(self.text[base_start:found.tokens[bracket].start])
        except Unresolved:
            return None
        listed = keys.keys_of(target, unsafe=self.unsafe, wait=self.remaining())
        if listed is None:
            return None
        return keys.key_candidates(listed, typed, start, self.cursor, quote=quote, bytes_literal=bytes_literal,
                                   closed=self.text[self.cursor:])

    def _in_string(self, found: Scan, string: StringAtCursor) -> list[Candidate]:
        typed = self.text[string.body_start:self.cursor]
        if "f" in string.prefix.lower():
            field = _open_replacement_field(typed)
            if field is not None:  # f"{obj.at: Python again, from just after the brace
                start = string.body_start + field
                return self._python(scan(self.text, self.cursor, start), start)
        tokens = found.tokens
        bracket = len(tokens) - 1 if tokens and tokens[-1].text == "[" else _loc_columns(tokens)
        if bracket is not None and "f" not in string.prefix.lower():
            listed = self._keys(found, bracket, typed, string.body_start, quote=string.quote,
                                bytes_literal="b" in string.prefix.lower())
            if listed is not None:
                return listed
        return paths.path_candidates(typed, string.body_start, self.cursor, quote=string.quote)

    def _import(self, found: Scan) -> list[Candidate] | None:
        line = found.line.rpartition(";")[2]
        cursor = self.cursor
        if match := _IMPORT.match(line):
            return imports.module_candidates(self.modules, match.group(1), cursor - len(match.group(1)), cursor,
                                             wait=self.remaining())
        if match := _FROM_MODULE.match(line):
            dots, dotted = match.groups()
            dirs = imports.relative_package_dirs(len(dots), dotted.rpartition(".")[0], self.namespace) \
                if dots else None
            return imports.module_candidates(self.modules, dotted, cursor - len(dotted), cursor,
                                             wait=self.remaining(), package_dirs=dirs)
        if match := _FROM_NAMES.match(line):
            dots, module, prefix = match.groups()
            dirs = imports.relative_package_dirs(len(dots), module, self.namespace) if dots else None
            if self.unsafe and not dots and module not in sys.modules:
                _try_import(module)
            candidates, known = imports.from_import_candidates(module, prefix, cursor - len(prefix), cursor,
                                                               package_dirs=dirs)
            if not known:
                self._want_jedi(found.line_start)
            return candidates
        if match := _FROM_KEYWORD.match(line):
            word = match.group(1)
            if "import".startswith(word):
                return [Candidate("import", cursor - len(word), cursor, "keyword", prefix=word, source="keywords")]
            return []
        return None

    def _want_jedi(self, start: int) -> None:
        if self.unsafe or not self.evaluator.met_dynamic:
            self.jedi_code = _python_only(self.text[start:self.cursor])


def _loc_columns(tokens: list[Token]) -> int | None:
    """For ``df.loc[:, `` the index of a token standing for ``df[`` (its columns); else None.

    The token before ``.loc`` is returned, so the keys are read from ``df``
    itself: a DataFrame's columns, as IPython offers them there.
    """
    if [token.text for token in tokens[-5:]] != [".", "loc", "[", ":", ","]:
        return None
    return len(tokens) - 5


def _open_replacement_field(body: str) -> int | None:
    """Where the Python in an f-string's unclosed ``{`` starts (an offset into ``body``); None if none."""
    depth, opened, at = 0, None, 0
    while at < len(body):
        char = body[at]
        if char == "{":
            if depth == 0 and body.startswith("{{", at):
                at += 2
                continue
            depth += 1
            if depth == 1:
                opened = at + 1
        elif char == "}" and depth:
            depth -= 1
        at += 1
    if depth == 0 or opened is None or ":" in body[opened:] or "!" in body[opened:].replace("!=", ""):
        return None  # outside a field, or in its format spec / conversion
    return opened


def _binds_names(found: Scan, start: int, word_index: int) -> bool:
    """Whether the cell binds names before the cursor that the namespace does not have yet."""
    if _python_only(found.text[start:found.line_start]).strip(" \t\n;"):
        return True
    return any(token.text in _BINDING_WORDS or token.text == ":=" for token in found.tokens[:word_index + 1])


def _python_only(code: str) -> str:
    """``code`` with IPython lines (``%magic``, ``!cmd``) turned into ``pass``, for jedi."""
    lines = code.split("\n")
    for number, line in enumerate(lines[:-1]):
        stripped = line.lstrip(" \t")
        if stripped.startswith(("%", "!", "?")):
            lines[number] = line[: len(line) - len(stripped)] + "pass"
    return "\n".join(lines)


def _try_import(module: str) -> None:
    try:
        importlib.import_module(module)
    except BaseException as err:  # noqa: BLE001 - unsafe mode asked for it; a failing import is a miss
        if isinstance(err, KeyboardInterrupt):
            raise
