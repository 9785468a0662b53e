"""History magics: ``%history``, ``%rerun``, ``%recall``, ``%save`` and ``%macro``.

Usage::

    %history -n 4-6 ~2/1-5 ~1/     # cells 4-6, cells 1-5 two sessions ago, all of the last session
    %history -g import numpy       # every session: cells containing "import numpy"
    %history -l 20 -o -p           # the last 20 cells anywhere, with outputs, as >>> doctest text
    %rerun -g plot                 # run again the newest cell that mentions plot
    %recall 12                     # put cell 12 into the next prompt, to edit
    %save -r analysis.py 3-9       # write cells 3-9 (as typed) to a file
    %macro setup 1-4               # typing `setup` now runs cells 1-4 again

Ranges are IPython's (``shell.engine.history.ranges``): ``4``, ``4-6``
(inclusive), ``4:6`` (a slice), ``243/7`` (session 243), ``~2/1-5`` (two
sessions back), ``~1/`` (a whole session). Everything here reads history
through ``shell.history``, the surface's HistoryStore.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
from typing import Any

from magics.arguments import argument, magic_arguments, parse_argstring
from magics.base import Magics
from magics.decorators import line_magic
from magics.errors import UsageError
from magics.macro import Macro

_RERUN = re.compile(r"\s*(%rerun\b|rerun(\s+-|\s*$))")


def _has_rerun(text: str) -> bool:
    return any(_RERUN.match(line) for line in text.split("\n"))


class HistoryMagics(Magics):
    """Reading, re-running and saving the cells of this and earlier sessions."""

    # -- %history ---------------------------------------------------------------------------
    @magic_arguments()
    @argument("-n", dest="print_nums", action="store_true", help="print each cell's number (session/number for other sessions)")
    @argument("-o", dest="get_output", action="store_true", help="also print each cell's output")
    @argument("-p", dest="pyprompts", action="store_true", help="print >>> and ... prompts (with -o: doctest-ready text)")
    @argument("-t", dest="raw", action="store_false", default=True,
              help="print the translated source, as hocus runs it (%%magic becomes a call)")
    @argument("-r", dest="raw", action="store_true", default=True, help="print the raw source, as typed (the default)")
    @argument("-g", dest="pattern", nargs="*", default=None, metavar="PATTERN",
              help="search every session for cells containing PATTERN (glob: * and ?); -g alone lists all")
    @argument("-l", dest="limit", nargs="?", type=int, const=10, default=None, metavar="N",
              help="the last N cells (default 10) of all sessions")
    @argument("-u", dest="unique", action="store_true", help="with -g: show each distinct cell once")
    @argument("-f", dest="filename", metavar="FILE", help="write to FILE instead of the screen")
    @argument("range", nargs="*", help="cells to show: 4, 4-6, 4:6, ~2/1-5, 243/7, ~1/ (default: this session)")
    @line_magic
    def history(self, line: str = "") -> None:
        """Print input history, oldest first; by default all of this session, without numbers.

        Ranges name cells of this session (``4``, ``4-6``), of another one by
        id (``243/1-5``) or counting back (``~2/7``, ``~1/`` for all of the
        previous session), or span sessions (``~8/1-~6/5``). ``-g PATTERN``
        searches what was typed in every session for cells containing
        PATTERN (``*`` and ``?`` work inside it) and numbers what it finds as
        ``session/number``. The same ranges work in ``%rerun``, ``%recall``,
        ``%save`` and ``%macro``.
        """
        args = parse_argstring(self.history, line)
        store = self.shell.history
        print_nums = args.print_nums
        range_text = " ".join(args.range)
        range_pattern = None
        try:
            if args.pattern is not None and not args.range:
                pattern = f"*{' '.join(args.pattern)}*" if args.pattern else "*"
                cells = store.search(pattern, n=args.limit, unique=args.unique, raw=args.raw, output=args.get_output)
                print_nums = True
            elif args.limit is not None:
                rows = self._others(store.tail(args.limit + 1, raw=args.raw, output=args.get_output))
                cells = rows[max(len(rows) - args.limit, 0):]  # the last N, not counting this cell
            else:
                if args.pattern:
                    range_pattern = f"*{' '.join(args.pattern)}*"
                    print_nums = True
                cells = store.get_range_by_str(range_text, raw=args.raw, output=args.get_output)
        except ValueError as err:
            raise UsageError(f"%history: {err}") from None
        text = _format_cells(cells, store, print_nums=print_nums, pyprompts=args.pyprompts,
                             output=args.get_output, pattern=range_pattern)
        if args.filename:
            self._write_file(os.path.expanduser(args.filename), text)
        else:
            self.shell.write(text)

    @line_magic
    def hist(self, line: str = "") -> None:
        """Print input history: the same as ``%history`` (``%hist -n 1-5``)."""
        return self.history(line)

    def _write_file(self, path: str, text: str) -> None:
        if os.path.exists(path):
            from magics.builtin.namespace import ask_yes_no

            if not ask_yes_no(self.shell, f"File {path!r} exists. Overwrite?", default=False):
                self.shell.write("Aborting.\n")
                return
            self.shell.write("Overwriting file.\n")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)

    # -- %rerun -------------------------------------------------------------------------------
    @magic_arguments()
    @argument("-l", dest="last", type=int, metavar="N", help="run the last N cells again (not counting this one)")
    @argument("-g", dest="pattern", metavar="PATTERN", help="run the newest cell containing PATTERN again")
    @argument("--stale", action="store_true",
              help="run again, in dependency order, the cells that made stale names (see %%stale)")
    @argument("range", nargs="*", help="cells to run again, as in %%history (default: the previous cell)")
    @line_magic
    def rerun(self, line: str = "") -> None:
        """Run earlier cells again, as one cell; with no argument, the previous cell.

        The code is shown, then run without being stored as a new cell, so
        ``%rerun`` itself is what history keeps. What history holds is run,
        magics included, as IPython does. A ``%rerun`` line among those cells
        re-runs what it re-ran the first time (``%rerun`` typed in cell 7 runs
        cell 6 again, not the cell before this one), and no ``%rerun`` runs
        its own cell or a later one, so re-running never loops (IPython's
        recurses until its recursion limit).

        ``%rerun --stale`` runs again the cells that made stale names, each
        with its last code and as that cell, in dependency order
        (docs/hidden-state.md).
        """
        args = parse_argstring(self.rerun, line)
        if args.stale:
            if args.last is not None or args.pattern is not None or args.range:
                raise UsageError("%rerun: --stale takes no range, -l or -g")
            from magics.builtin.hidden_state import rerun_stale

            rerun_stale(self.shell)
            return
        if args.last is not None and args.last <= 0:
            raise UsageError("%rerun: -l needs a positive number of cells")
        cells = self._cells_to_rerun(args, self._running_cell())
        if not cells:
            self.shell.write("No lines in history match specification\n")
            return
        code = "\n".join(text for _, _, text in cells)
        self.shell.write(f"=== Executing: ===\n{code}\n=== Output: ===\n")
        self.shell.run_cell("\n".join(self._anchored(cell) for cell in cells), store_history=False)

    def _cells_to_rerun(self, args: argparse.Namespace, typed_in: tuple[int, int] | None) -> list[tuple]:
        """The cells a ``%rerun`` with ``args`` runs when typed in cell ``typed_in`` (None: not a cell).

        Counting back (no range, ``-l``) starts before ``typed_in`` when it is
        an earlier cell being re-run, and from the newest cell otherwise.
        """
        store = self.shell.history
        if args.pattern is not None:
            return [cell for cell in store.search(f"*{args.pattern}*") if not _has_rerun(cell[2])][-1:]
        if args.range:
            try:
                cells = store.get_range_by_str(" ".join(args.range))
            except ValueError as err:
                raise UsageError(f"%rerun: {err}") from None
        elif typed_in is not None and [typed_in] != [self._cell_id(cell) for cell in store.tail(1)]:
            session, number = typed_in
            return store.get_range(session, max(1, number - (args.last or 1)), number)
        else:
            cells = store.tail(args.last or 1, include_latest=False)
        return [cell for cell in cells if typed_in is None or self._cell_id(cell) < typed_in]

    def _cell_id(self, cell: tuple) -> tuple[int, int]:
        """``(session, cell)`` with the current session's 0 written as its number, as tail() writes it."""
        return (cell[0] or self.shell.history.session_number, cell[1])

    def _running_cell(self) -> tuple[int, int] | None:
        """``(session, cell)`` of the cell running this magic; None outside a stored cell.

        Not the newest cell in history: a kernel's subshell may have started
        a later one while this one runs (and the shared ``execution_count``
        may be an earlier one's number).
        """
        number = self.shell.running_execution_count
        return None if number is None else (self.shell.history.session_number, number)

    def _others(self, cells: list[tuple]) -> list[tuple]:
        """``cells`` without the one running this magic."""
        running = self._running_cell()
        return [cell for cell in cells if self._cell_id(cell) != running]

    def _anchored(self, cell: tuple) -> str:
        """The cell's text with each ``%rerun`` line naming the cells it ran when it was typed there.

        ``%rerun`` typed in cell 7 meant cell 6; run again from anywhere else
        it must still mean cell 6, so it becomes ``%rerun SESSION/6``.
        """
        typed_in = self._cell_id(cell)
        lines = cell[2].split("\n")
        for index, line in enumerate(lines):
            match = _RERUN.match(line)
            if not match:
                continue
            try:
                args = parse_argstring(self.rerun, line[match.end(1):])
            except UsageError:
                continue
            if args.pattern is not None:
                continue  # -g never picks a %rerun cell: it cannot loop
            cells = [self._cell_id(found) for found in self._cells_to_rerun(args, typed_in)]
            session, number = typed_in
            words = [f"{s}/{n}" for s, n in cells] or [f"{session}/{number}:{number}"]  # an empty slice: none
            indent = line[: len(line) - len(line.lstrip())]
            lines[index] = f"{indent}%rerun {' '.join(words)}"
        return "\n".join(lines)

    # -- %recall ------------------------------------------------------------------------------
    @line_magic
    def recall(self, line: str = "") -> None:
        """Put earlier input into the next prompt, to edit before running it.

        ``%recall`` alone offers the last result (``_``) as text; ``%recall 45``
        or ``%recall 1-4`` offers those cells; anything else is evaluated in
        the namespace (``%recall name + "x"``), or, failing that, the newest
        cell containing it is offered. Where the front end cannot pre-fill
        its prompt the text is printed.
        """
        arg = line.strip()
        if not arg:
            self._offer(str(self.shell.user_ns.get("_", "")))
            return
        try:
            cells = self.shell.history.get_range_by_str(arg)
        except ValueError:
            cells = []
        if cells:
            self._offer("\n".join(text for _, _, text in cells))
            return
        try:
            value = eval(arg, self.shell.user_ns)  # noqa: S307 - the user's own expression, as IPython does
        except Exception:  # noqa: BLE001 - not an expression: search history instead
            for _, _, text in reversed(self.shell.history.search(f"*{arg}*")):
                if "recall" not in text and "rep" not in text:
                    self._offer(text)
                    return
            self.shell.write(f"Couldn't evaluate or find in history: {arg}\n")
        else:
            self._offer(str(value))

    @line_magic
    def rep(self, line: str = "") -> None:
        """Put earlier input into the next prompt: the same as ``%recall``."""
        return self.recall(line)

    def _offer(self, text: str) -> None:
        self.shell.set_next_input(text.rstrip())

    # -- %save and %macro --------------------------------------------------------------------
    @magic_arguments()
    @argument("-r", dest="raw", action="store_true", help="save the raw source as typed (default: translated Python)")
    @argument("-f", dest="force", action="store_true", help="overwrite an existing file without asking")
    @argument("-a", dest="append", action="store_true", help="append to the file")
    @argument("filename", help="the file; .py is added when it has no .py/.ipy ending (.ipy with -r)")
    @argument("range", nargs="*", help="cells, as in %%history, or a macro's name (default: this session so far)")
    @line_magic
    def save(self, line: str = "") -> None:
        """Save cells (or a macro) to a file.

        By default the translated source is saved, so magics become the calls
        hocus makes (the file then needs hocus to run); ``-r`` saves what was
        typed. An existing file is overwritten only after asking, or with
        ``-f``; ``-a`` appends.
        """
        args = parse_argstring(self.save, line)
        path = args.filename
        if not path.endswith((".py", ".ipy")):
            path += ".ipy" if args.raw else ".py"
        path = os.path.expanduser(path)
        if os.path.isfile(path) and not (args.force or args.append):
            from magics.builtin.namespace import ask_yes_no

            if not ask_yes_no(self.shell, f"File `{path}` exists. Overwrite (y/[N])?", default=False):
                self.shell.write("Operation cancelled.\n")
                return
        code = self._code_from(" ".join(args.range), raw=args.raw, magic="save")
        with open(path, "a" if args.append else "w", encoding="utf-8") as handle:
            handle.write(code if code.endswith("\n") else code + "\n")
        self.shell.write(f"The following commands were written to file `{path}`:\n{code}\n")

    @magic_arguments()
    @argument("-r", dest="raw", action="store_true", help="use the raw source as typed (default: translated Python)")
    @argument("-q", dest="quiet", action="store_true", help="do not print the macro's contents")
    @argument("name", nargs="?", help="the macro's name (without arguments: list the macros)")
    @argument("range", nargs="*", help="cells, as in %%history, or names of macros and strings")
    @line_magic
    def macro(self, line: str = "") -> list[str] | None:
        """Define a macro: typing its name runs those cells again, as one cell.

        ``%macro setup 1-4 7`` stores a :class:`~magics.macro.Macro` named
        ``setup`` in the namespace; typing ``setup`` at the prompt runs cells
        1-4 and 7 again; ``print(setup)`` shows its code; macros add
        (``both = setup + plot``). ``%macro`` alone returns the macros' names.
        """
        args = parse_argstring(self.macro, line)
        if args.name is None:
            return sorted(name for name, value in self.shell.user_ns.items() if isinstance(value, Macro))
        if not args.range:
            raise UsageError("%macro needs a name and cells: %macro NAME 1-4 7")
        if not args.name.isidentifier():
            raise UsageError(f"%macro: {args.name!r} is not a valid variable name")
        macro = Macro(self._code_from(" ".join(args.range), raw=args.raw, magic="macro"))
        self.shell.user_ns[args.name] = macro
        if not args.quiet:
            self.shell.write(f"Macro `{args.name}` created. To execute, type its name (without quotes).\n"
                             f"=== Macro contents: ===\n{macro}")
        return None

    def _code_from(self, target: str, *, raw: bool, magic: str) -> str:
        """The code of history ranges, or of macros/strings named in ``target``; empty: this session so far."""
        store = self.shell.history
        if not target.strip():  # the cell running this magic is not part of "so far"
            cells = self._others(store.get_range(0, 1, None, raw=raw))
        else:
            pieces = []
            for word in target.split():
                value = self.shell.user_ns.get(word)
                if isinstance(value, (Macro, str)):
                    pieces.append(str(value).rstrip("\n"))
                    continue
                try:
                    found = store.get_range_by_str(word, raw=raw)
                except ValueError as err:
                    raise UsageError(f"%{magic}: {err}, nor the name of a macro or string") from None
                pieces.extend(text for _, _, text in found)
            return _nonempty("\n".join(pieces), magic, target)
        return _nonempty("\n".join(text for _, _, text in cells), magic, target)


def _nonempty(code: str, magic: str, target: str) -> str:
    if not code.strip():
        raise UsageError(f"%{magic}: no cells found for {target!r}" if target.strip()
                         else f"%{magic}: this session has no earlier cells")
    return code


def _format_cells(cells: list[tuple], store: Any, *, print_nums: bool, pyprompts: bool, output: bool,
                  pattern: str | None) -> str:
    """IPython's %history layout: ``   4: x = 1``; multi-line cells start on the next line."""
    current: int | None = None
    parts: list[str] = []
    for session, number, entry in cells:
        text, result = entry if output else (entry, None)
        if pattern is not None and not fnmatch.fnmatchcase(text, pattern):
            continue
        text = text.expandtabs(4).rstrip()
        multiline = "\n" in text
        if print_nums:
            if session and current is None:
                current = store.session_number
            label = str(number) if session in (0, current) else f"{session}/{number}"
            parts.append(f"{label.rjust(4)}:{chr(10) if multiline else ' '}")
        if pyprompts:
            parts.append(">>> ")
            if multiline:
                text = "\n... ".join(text.splitlines()) + "\n..."
        parts.append(text + "\n")
        if output and result:
            parts.append(result + "\n")
    return "".join(parts)
