"""Magics that move code between files and the session: ``%load``, ``%pycat``, ``%%writefile``.

Usage::

    In [1]: %load helpers.py -r 10-20          # the next input becomes those lines
    In [2]: %load -s parse,Config helpers.py   # only these functions and classes
    In [3]: %load -n my_function               # the source of an object you have
    In [4]: %pycat helpers.py                  # show the file, highlighted
    In [5]: %%writefile -a notes.txt
       ...: one more line

``%load`` does not run anything: as in IPython, it hands the code to the
front end as the next input (``shell.set_next_input(text, replace=True)``),
which the terminal pre-fills at the prompt and the kernel sends to the
notebook as a ``set_next_input`` payload that replaces the cell.

A source is found as IPython finds it: a history range of this session
(``3``, ``2-4``, ``1:3``), then a file, then (with ``-n``) the source of an
object in the namespace, then a string variable. URLs are not fetched.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import textwrap
import tokenize

from magics.arguments import argument, magic_arguments, parse_argstring
from magics.base import Magics
from magics.decorators import cell_magic, expand_vars, line_magic
from magics.errors import UsageError

_RANGE = re.compile(r"^(?P<start>\d+)?(?:(?P<sep>[-:])(?P<end>\d+)?)?$")
_BIG = 200_000  # characters, ~2,500 full lines: above this %load asks first


class CodeMagics(Magics):
    """``%load``, ``%pycat`` and ``%%writefile`` (also ``%%file``)."""

    @magic_arguments()
    @argument("-r", dest="ranges", metavar="RANGES",
              help="only these lines: 5-10 (5 to 10), 1:3 (1 and 2), 7; several with commas or spaces")
    @argument("-s", dest="symbols", metavar="NAMES",
              help="only these top-level functions and classes, comma-separated")
    @argument("-n", dest="search_ns", action="store_true",
              help="SOURCE is an object in the namespace: load its source code")
    @argument("-y", dest="yes", action="store_true", help="do not ask before loading more than 200,000 characters")
    @argument("source", nargs="*", help="a file, a history range (3, 2-4), or a name (with -n)")
    @expand_vars
    @line_magic
    def load(self, line: str) -> None:
        """Put code from a file, the history or an object into the next input.

        ``%load script.py`` replaces the current input with ``# %load
        script.py`` followed by the file's text, for you to edit and run; it
        runs nothing itself. The source may also be a history range of this
        session (``%load 3``, ``%load 2-4``), an object's source (``%load -n
        func``) or a string variable holding code.

        ``-r`` keeps some lines (``-r 5-10``: lines 5 to 10; ``-r 1:3``: lines
        1 and 2, as a Python slice; ``-r 1-3,8``), and ``-s`` some top-level
        functions or classes (``-s parse,Config``) with their decorators.
        Above 200,000 characters it asks first, unless ``-y``.
        """
        args = parse_argstring(self.load, line)
        target = " ".join(args.source)
        contents = self._find_code(target, search_ns=args.search_ns, magic="%load")
        if args.symbols:
            contents = self._symbols(contents, args.symbols)
        if args.ranges:
            contents = _line_ranges(contents, args.ranges)
        if len(contents) > _BIG and not args.yes:
            from magics.builtin.namespace import ask_yes_no

            question = f"The text you're trying to load seems pretty big ({len(contents)} characters). Continue (y/[N]) ?"
            if not ask_yes_no(self.shell, question):
                self.shell.write("Operation cancelled.\n")
                return
        self.shell.set_next_input(f"# %load {line.strip()}\n{contents}", replace=True)

    def _symbols(self, contents: str, symbols: str) -> str:
        names = [name.strip() for name in symbols.split(",") if name.strip()]
        try:
            blocks, missing = extract_symbols(contents, names)
        except SyntaxError:
            raise UsageError("%load -s: the source is not valid Python, so it has no symbols to pick") from None
        if missing:
            listed = ", ".join(f"`{name}`" for name in missing)
            self.shell.write_err(f"The symbol{'s' if len(missing) > 1 else ''} {listed} "
                                 f"{'were' if len(missing) > 1 else 'was'} not found\n")
        return "\n".join(blocks)

    @expand_vars
    @line_magic
    def pycat(self, line: str) -> None:
        """Show a file (or history range, or string variable) with syntax highlighting.

        ``%pycat script.py`` shows the file through the pager when the front
        end has one. Python is assumed unless the file name says otherwise
        (``.json``, ``.toml``, ...); nothing is coloured with the ``NoColor``
        colour scheme (``%colors`` / ``Shell.colors``).
        """
        target = line.strip()
        if len(target) >= 2 and target[0] == target[-1] and target[0] in "'\"":
            target = target[1:-1]
        if not target:
            raise UsageError("%pycat: give a file name (or a history range, or a variable)")
        text = self._find_code(target, search_ns=False, magic="%pycat")
        text = text if text.endswith("\n") else text + "\n"
        self.shell.page(self._highlight(text, target))

    def _highlight(self, text: str, target: str) -> str:
        colors = self.shell.colors.lower()
        if colors == "nocolor":
            return text
        from pygments import highlight
        from pygments.formatters import TerminalFormatter
        from pygments.lexers import PythonLexer, get_lexer_for_filename
        from pygments.util import ClassNotFound

        lexer = PythonLexer()
        if os.path.isfile(os.path.expanduser(target)) and not target.endswith((".py", ".ipy")):
            try:
                lexer = get_lexer_for_filename(target)
            except ClassNotFound:
                pass
        return highlight(text, lexer, TerminalFormatter(bg="light" if colors == "lightbg" else "dark"))

    @magic_arguments()
    @argument("-a", "--append", action="store_true",
              help="append to the file instead of overwriting it (it is created if missing)")
    @argument("filename", help="the file to write; ~ is expanded")
    @expand_vars
    @cell_magic
    def writefile(self, line: str, cell: str) -> None:
        """Write the cell's text to a file (``-a``: append to it).

        Prints ``Writing FILE`` for a new file, ``Overwriting FILE`` for an
        existing one and ``Appending to FILE`` with ``-a``. The folder must
        exist already.
        """
        args = parse_argstring(self.writefile, line)
        filename = os.path.expanduser(args.filename)
        exists = os.path.exists(filename)
        verb = "Appending to" if args.append and exists else "Overwriting" if exists else "Writing"
        try:
            with open(filename, "a" if args.append else "w", encoding="utf-8") as stream:
                stream.write(cell)
        except OSError as err:
            raise UsageError(f"%%writefile: cannot write {args.filename!r}: {err.strerror or err}") from None
        if filename.endswith(".py"):
            # A module written here is importable in the very next cell, even when its folder was
            # listed by the import system within the file system's timestamp resolution.
            importlib.invalidate_caches()
        self.shell.write(f"{verb} {filename}\n")

    @expand_vars
    @cell_magic
    def file(self, line: str, cell: str) -> None:
        """Alias for ``%%writefile``, as in IPython: ``%%file [-a] FILENAME``."""
        self.writefile(line, cell)

    # -- finding code --------------------------------------------------------------------
    def _find_code(self, target: str, *, search_ns: bool, magic: str) -> str:
        """The code ``target`` names: history range, file, object source (``search_ns``), or string variable."""
        if not target:
            raise UsageError(f"{magic}: give a file name, a history range or a variable")
        history = self._history(target)
        if history is not None:
            return history
        if target.startswith(("http://", "https://")):
            raise UsageError(f"{magic}: URLs are not fetched; download the file and give its path")
        path = os.path.expanduser(target)
        if os.path.isdir(path):
            raise UsageError(f"{magic}: {target!r} is a directory, not a regular file.")
        if os.path.isfile(path):
            try:
                with tokenize.open(path) as stream:  # honours a coding cookie
                    return stream.read()
            except (SyntaxError, UnicodeDecodeError) as err:
                raise UsageError(f"{magic}: cannot read {target!r} as text: {err}") from None
        if search_ns:
            try:
                obj = self.shell.find_object(target)
            except NameError:
                pass
            else:
                try:
                    return inspect.getsource(obj)
                except (OSError, TypeError) as err:
                    raise UsageError(f"{magic} -n: no source code for {target!r}: {err}") from None
        try:
            value = eval(target, self.shell.user_ns)  # noqa: S307 - IPython's %load evaluates the name too
        except Exception:  # noqa: BLE001 - anything that does not evaluate is simply not found
            raise UsageError(f"{magic}: {target!r} was not found in history, as a file, "
                             "nor in the user namespace.") from None
        if isinstance(value, str):
            return value
        hint = f"; use {magic} -n {target} for its source" if magic == "%load" and not search_ns else ""
        raise UsageError(f"{magic}: {target!r} is not a string of code{hint}")

    def _history(self, target: str) -> str | None:
        """Lines of ``In`` for ``3``, ``2-4`` (inclusive) or ``1:3`` (a slice); None if not a range."""
        slices = []
        for word in target.replace(",", " ").split():
            match = _RANGE.match(word)
            if not match or not match.group("start"):
                return None
            slices.append(_slice(match))
        inputs = list(self.shell.In)
        cells = [source for s in slices for source in inputs[1:][s]]
        return "\n".join(cells) if cells else None


def extract_symbols(code: str, names: list[str]) -> tuple[list[str], list[str]]:
    """The source blocks of top-level functions/classes ``names`` (decorators included), and those missing."""
    tree = ast.parse(code)
    lines = code.splitlines(keepends=True)
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            block = "".join(lines[start - 1:node.end_lineno])
            found[node.name] = block if block.endswith("\n") else block + "\n"
    return [found[n] for n in names if n in found], [n for n in names if n not in found]


def _slice(match: re.Match) -> slice:
    """A 0-based slice for a 1-based range ``N``, ``N-M`` (inclusive) or ``N:M`` (exclusive)."""
    start, sep, end = match.group("start"), match.group("sep"), match.group("end")
    first = int(start) - 1 if start else None
    if not sep:
        return slice(first, int(start))
    if not end:
        return slice(first, None)
    return slice(first, int(end) if sep == "-" else int(end) - 1)


def _line_ranges(contents: str, ranges: str) -> str:
    """``-r``: keep the given 1-based line ranges, dedented as a block."""
    lines = contents.split("\n")
    kept: list[str] = []
    for word in ranges.replace(",", " ").split():
        match = _RANGE.match(word)
        if not match or not (match.group("start") or match.group("end")):
            raise UsageError(f"%load -r: bad line range {word!r}; use N, N-M or N:M")
        kept.extend(lines[_slice(match)])
    return textwrap.dedent("\n".join(kept))
