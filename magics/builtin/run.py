"""``%run``: run a script, a module, an ``.ipy`` file or a notebook inside the session.

Usage::

    In [1]: %run analysis.py data.csv --fast      # sys.argv == ['analysis.py', 'data.csv', '--fast']
    In [2]: results                                # the script's names are now yours
    In [3]: %run -i tweak.py                       # run in the interactive namespace itself
    In [4]: %run -t -N 5 bench.py                  # time five runs
    In [5]: %run -m http.server 8000               # a module, as ``python -m`` would

A script runs as ``python file.py`` would run it: ``__name__ == "__main__"``,
``__file__`` set, ``sys.argv`` set (and restored afterwards), in a fresh
module whose names are copied into the user namespace when it finishes —
even when it fails, so the variables it made are there to inspect.
``sys.modules['__main__']`` is that module while it runs, so pickling and
multiprocessing see the script's classes.

It is compiled under its real path, so tracebacks show the script's own
lines (the engine hides its own frames and the magic's), ``%tb`` and
``%debug`` see the error, and the session goes on. ``sys.exit(0)`` is
silent, another status prints one line. Modules found with ``-m`` go through
the same path (their code object from the import system), so every option
works for them too.
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import dataclasses
import glob
import io
import json
import os
import sys
import time
import types
from pathlib import Path
from typing import Any, Callable, Iterator

from magics.arguments import argument, magic_arguments, parse_argstring, rest
from magics.base import Magics
from magics.decorators import expand_vars, line_magic
from magics.errors import UsageError

# What a module namespace holds that is about the module, not what the script made.
_MODULE_ATTRS = frozenset({"__name__", "__file__", "__builtins__", "__doc__", "__loader__", "__spec__",
                           "__package__", "__cached__"})
_MISSING = object()


class Program:
    """What ``%run`` was asked to run: a file or a module's code, and how to name it."""

    def __init__(self, path: str, argv0: str, kind: str, name: str, spec: Any = None):
        self.path = path      # absolute path: what tracebacks, __file__ and breakpoints use
        self.argv0 = argv0    # sys.argv[0], as typed (as Python sets it)
        self.kind = kind      # "python", "ipy" or "ipynb"
        self.name = name      # __name__ under -n
        self.spec = spec      # the module spec with -m

    def code(self) -> types.CodeType:
        """Compile the program; SyntaxError for bad source, UsageError for what is not source."""
        if self.spec is not None:
            code = self.spec.loader.get_code(self.spec.name)
            if code is None:
                raise UsageError(f"%run -m: no code to run in {self.spec.name!r}")
            return code
        try:
            # dont_inherit: this module's own ``from __future__`` imports must not leak in.
            return compile(Path(self.path).read_bytes(), self.path, "exec", dont_inherit=True)
        except ValueError as err:  # null bytes: not a Python file at all
            raise UsageError(f"%run: {self.argv0!r} is not Python source: {err}") from None


class RunMagics(Magics):
    """``%run``."""

    @magic_arguments()
    @argument("-n", dest="not_main", action="store_true",
              help="set __name__ to the file's name, not '__main__' (skips `if __name__ == '__main__':`)")
    @argument("-i", dest="interactive", action="store_true",
              help="run in the interactive namespace: the script sees and changes your variables")
    @argument("-e", dest="ignore_exit", action="store_true", help="say nothing about sys.exit() in the script")
    @argument("-G", dest="no_glob", action="store_true", help="do not expand ~ and glob patterns in the arguments")
    @argument("-t", dest="timed", action="store_true", help="print CPU and wall-clock time at the end")
    @argument("-N", dest="runs", type=int, default=1, metavar="N", help="with -t: run N times")
    @argument("-d", dest="debug", action="store_true", help="run under pdb, stopping at its first line")
    @argument("-b", dest="breakpoint", metavar="[FILE:]LINE", help="with -d: also break at this line")
    @argument("-p", dest="profile", action="store_true", help="run under cProfile and show the statistics")
    @argument("-l", dest="limits", action="append", default=[], metavar="LIMIT",
              help="with -p: limit the listing (a count, a fraction, or a regex on names)")
    @argument("-s", dest="sort", action="append", default=[], metavar="KEY",
              help="with -p: sort key (default 'time'); repeat for more")
    @argument("-r", dest="return_stats", action="store_true", help="with -p: return the pstats.Stats object")
    @argument("-T", dest="text_file", metavar="FILE", help="with -p: also save the listing to FILE")
    @argument("-D", dest="dump_file", metavar="FILE", help="with -p: also dump the raw statistics to FILE")
    @argument("-q", dest="quiet", action="store_true", help="with -p: do not show the listing")
    @argument("-m", dest="module", metavar="MODULE", help="run a module, as `python -m MODULE` does")
    @rest("program", help="the file to run (.py, .ipy or .ipynb) followed by its arguments")
    @expand_vars
    @line_magic
    def run(self, line: str) -> Any:
        """Run a Python file (or ``-m module``) as a program, then keep its variables.

        ``%run script.py a b`` runs the file as ``python script.py a b``
        would (``__name__ == "__main__"``, ``sys.argv == ['script.py', 'a',
        'b']``, ``__file__`` set) in a fresh namespace, then copies the names
        it defined into yours. ``sys.argv`` is restored afterwards.
        Arguments go through ``$var``/``{expr}`` expansion, then are read as
        a POSIX shell reads them: ``~`` and glob patterns (``*.csv``) are
        expanded unless quoted, escaped (``'*.csv'``, ``\\*.csv``) or ``-G``
        is given; ``script`` finds ``script.py``.

        An exception in the script shows its traceback (pointing into the
        script's lines) and the session goes on; ``sys.exit(n)`` with a
        non-zero status prints one line (nothing with ``-e``).

        ``.ipy`` files run as one cell in your namespace, so magics and
        ``!commands`` work; ``.ipynb`` notebooks (nbformat 4) run their code
        cells in order in your namespace; a failing cell's error is raised
        from ``%run``, as in IPython, so the cell that ran it stops too.

        ``-t``, ``-d`` and ``-p`` are alternatives: time the run (``-N`` runs),
        run it under pdb (enter ``c`` to go on to the ``-b`` breakpoint), or
        profile it with cProfile (``-l``, ``-s``, ``-r``, ``-T``, ``-D``,
        ``-q`` as in ``%prun``).
        """
        args = parse_argstring(self.run, line)
        if sum((args.timed, args.debug, args.profile)) > 1:
            raise UsageError("%run: -t, -d and -p cannot be combined; choose one")
        if args.runs < 1:
            raise UsageError("%run: -N must be at least 1")
        try:
            shell_words = _shell_words(args.program or "")
        except ValueError as err:
            raise UsageError(f"%run: cannot split arguments: {err}") from None
        words = [word.text for word in shell_words]
        if args.module:
            program, rest_words = _find_module(args.module), shell_words
        elif words:
            program, rest_words = _find_file(words[0]), shell_words[1:]
        else:
            raise UsageError("%run: give a file to run, or -m MODULE")
        argv = [program.argv0, *([word.text for word in rest_words] if args.no_glob else _expand_args(rest_words))]
        if program.kind != "python":
            return self._run_cells(program, argv)
        return self._run_python(program, argv, args)

    # -- Python files and modules -------------------------------------------------------------
    def _run_python(self, program: Program, argv: list[str], args: argparse.Namespace) -> Any:
        try:
            code = program.code()
        except SyntaxError as err:
            err.__traceback__ = None  # the error is in the file, not in this magic
            self.shell.showtraceback(err)
            return None
        run_name = program.name if args.not_main else "__main__"
        if args.interactive:
            namespace = self.shell.user_ns
            main_module = None
            saved = {key: namespace.get(key, _MISSING) for key in ("__name__", "__file__", "__spec__",
                                                                   "__package__", "__loader__")}
        else:
            main_module = types.ModuleType(run_name)
            namespace = main_module.__dict__
            saved = {}
        namespace.update(__name__=run_name, __file__=program.path)
        namespace.setdefault("__builtins__", builtins)
        if program.spec is not None:
            namespace.update(__spec__=program.spec, __package__=program.spec.parent,
                             __loader__=program.spec.loader)

        def execute() -> None:
            self.shell.run_code_object(code, namespace)

        stats = None
        folder = None if program.spec is not None else os.path.dirname(program.path)
        with _script_context(argv, main_module if run_name == "__main__" else None, folder):
            try:
                if args.profile:
                    stats = self._profiled(code, namespace, args)
                elif args.debug:
                    self._debugged(code, namespace, program.path, args.breakpoint)
                elif args.timed:
                    self._timed(execute, args.runs)
                else:
                    execute()
            except UsageError:  # bad -b/-s/-l/-T/-D: one line, as for any magic
                raise
            except SystemExit as exc:
                if exc.code and not args.ignore_exit:
                    self.shell.write_err(f"SystemExit: {exc.code}\n")
            except BaseException as exc:  # noqa: BLE001 - the script's errors are reported, never raised
                self._report(exc)
            finally:
                if args.interactive:
                    _restore(namespace, saved)
                else:
                    self.shell.push({k: v for k, v in namespace.items() if k not in _MODULE_ATTRS})
        return stats if args.return_stats else None

    def _report(self, exc: BaseException) -> None:
        """Show a script's exception as a cell's would be shown, and remember it for %tb/%debug."""
        import bdb

        if isinstance(exc, bdb.BdbQuit):  # the user quit the debugger: not an error
            return
        self.shell.last_error = exc
        sys.last_type, sys.last_value, sys.last_traceback = type(exc), exc, exc.__traceback__
        self.shell.showtraceback(exc)
        if self.shell.call_pdb:
            self.shell.debugger(exc.__traceback__)

    def _timed(self, execute: Callable[[], None], runs: int) -> None:
        wall0, cpu0 = time.perf_counter(), os.times()
        for _ in range(runs):
            execute()
        cpu1, wall = os.times(), time.perf_counter() - wall0
        user, system = cpu1.user - cpu0.user, cpu1.system - cpu0.system
        lines = ["", "hocus CPU timings (estimated):"]
        if runs == 1:
            lines += [f"  User   : {user:10.2f} s.", f"  System : {system:10.2f} s."]
        else:
            lines += [f"Total runs performed: {runs}",
                      f"  Times  : {'Total':>10} {'Per run':>10}",
                      f"  User   : {user:10.2f} s, {user / runs:10.2f} s.",
                      f"  System : {system:10.2f} s, {system / runs:10.2f} s."]
        lines.append(f"Wall time: {wall:10.2f} s.")
        self.shell.write("\n".join(lines) + "\n")

    def _debugged(self, code: types.CodeType, namespace: dict, path: str, spec: str | None) -> None:
        debugger = self.shell.new_debugger()  # stops at the script's first line; `c` goes on to -b's breakpoint
        try:
            if spec:
                filename, lineno = _breakpoint(path, spec)
                error = debugger.set_break(filename, lineno)
                if error:
                    raise UsageError(f"%run -d: {error}")
            self.shell.write("NOTE: Enter 'c' at the (Pdb) prompt to continue execution.\n")
            # Bdb.run stops at the first line it traces: the script's first statement.
            debugger.run(code, namespace)
        finally:
            debugger.clear_all_breaks()

    def _profiled(self, code: types.CodeType, namespace: dict, args: argparse.Namespace) -> Any:
        """Like ``%prun`` (whose option checks and file saving this shares), around the whole script."""
        import cProfile
        import pstats

        from magics.builtin.timing import _limit, _saving

        sort_keys = args.sort or ["time"]
        bad = [key for key in sort_keys if key not in pstats.Stats().get_sort_arg_defs()]
        if bad:
            raise UsageError(f"%run -p: unknown sort key {bad[0]!r} (try time, cumulative, calls, name)")
        limits = [_limit(value) for value in args.limits]
        profiler = cProfile.Profile()
        exit_note = ""
        try:
            # exec directly, so the listing shows the script and not hocus's own calls
            profiler.runctx(code, namespace, namespace)  # type: ignore[arg-type]  # typeshed: str only; exec takes code
        except SystemExit:
            exit_note = "*** SystemExit exception caught in code being profiled.\n"
        listing = io.StringIO()
        stats = pstats.Stats(profiler, stream=listing).strip_dirs().sort_stats(*sort_keys)
        stats.print_stats(*limits)
        # the listing is taken; later print_stats() calls go to the screen (typeshed omits Stats.stream)
        stats.stream = sys.stdout  # type: ignore[attr-defined]
        text = listing.getvalue().rstrip() + "\n"
        if not args.quiet:
            self.shell.page(text)
        if exit_note:
            self.shell.write(exit_note)
        if args.dump_file:
            _saving(args.dump_file, lambda: profiler.dump_stats(args.dump_file))
            self.shell.write(f"\n*** Profile stats marshalled to file {args.dump_file!r}.\n")
        if args.text_file:
            _saving(args.text_file, lambda: Path(args.text_file).write_text(text, encoding="utf-8"))
            self.shell.write(f"\n*** Profile printout saved to text file {args.text_file!r}.\n")
        return stats

    # -- .ipy files and notebooks -------------------------------------------------------------
    def _run_cells(self, program: Program, argv: list[str]) -> None:
        """Run hocus-syntax cells in the user namespace, ``__file__`` and ``sys.argv`` set meanwhile."""
        text = Path(program.path).read_text(encoding="utf-8")
        cells = [text] if program.kind == "ipy" else _notebook_cells(text, program.argv0)
        namespace = self.shell.user_ns
        saved = {"__file__": namespace.get("__file__", _MISSING)}
        namespace["__file__"] = program.path
        try:
            with _script_context(argv, None, os.path.dirname(program.path)):
                for source in cells:
                    result = self.shell.run_cell(source, store_history=False)
                    error = result.error_before_exec or result.error_in_exec
                    if error is not None:
                        # as IPython: the cell that ran the notebook fails too, and stops there
                        raise error
        finally:
            _restore(namespace, saved)


# -- finding what to run -----------------------------------------------------------------------
def _find_file(name: str) -> Program:
    """The file ``name`` names (``script`` finds ``script.py``); UsageError when there is none."""
    path = os.path.expanduser(name)
    if not os.path.isfile(path) and not path.endswith(".py") and os.path.isfile(path + ".py"):
        path += ".py"
    if not os.path.isfile(path):
        if name.startswith("-"):
            raise UsageError(f"%run: unknown option {name!r} (see %run?)")
        raise UsageError(f"File {name!r} not found.")
    suffix = Path(path).suffix.lower()
    kind = {".ipy": "ipy", ".ipynb": "ipynb"}.get(suffix, "python")
    return Program(os.path.abspath(path), path, kind, Path(path).stem)


def _find_module(name: str) -> Program:
    """Find a module as ``python -m`` does (a package runs its ``__main__``)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations is not None:
            spec = importlib.util.find_spec(name + ".__main__")
            if spec is None:
                raise UsageError(f"%run -m: {name!r} is a package and cannot be directly executed")
    except UsageError:
        raise
    except Exception as err:  # noqa: BLE001 - importing a parent package can fail in any way
        raise UsageError(f"%run -m {name}: {type(err).__name__}: {err}") from None
    if spec is None or spec.loader is None or not hasattr(spec.loader, "get_code"):
        raise UsageError(f"No module named {name!r}")
    origin = spec.origin or name
    return Program(origin, origin, "python", spec.name, spec)


@dataclasses.dataclass
class _ShellWord:
    """One argument as a POSIX shell reads it: its text, and as a glob pattern in which
    only unquoted, unescaped ``*``, ``?`` and ``[`` are wildcards (``globs``: it has some)."""

    text: str = ""
    pattern: str = ""
    globs: bool = False
    tilde: bool = False  # starts with an unquoted ~


def _shell_words(line: str) -> list[_ShellWord]:
    """Split ``line`` as ``sh`` does: quotes and backslashes make characters literal, so
    ``'*.csv'``, ``"*.csv"`` and ``\\*.csv`` are not globs; ValueError on an open quote."""
    words: list[_ShellWord] = []
    word: _ShellWord | None = None
    quote = ""
    i = 0

    def literal(char: str) -> None:
        assert word is not None  # the quote or character that led here started one
        word.text += char
        word.pattern += glob.escape(char)

    while i < len(line):
        char = line[i]
        if quote == "'":
            quote = "" if char == "'" else quote
            if quote:
                literal(char)
        elif quote == '"':
            if char == '"':
                quote = ""
            elif char == "\\" and line[i + 1:i + 2] in ("$", "`", '"', "\\", "\n"):
                i += 1
                literal(line[i])
            else:
                literal(char)
        elif char.isspace():
            if word is not None:
                words.append(word)
                word = None
        else:
            if word is None:
                word = _ShellWord(tilde=char == "~")
            if char in "'\"":
                quote = char
            elif char == "\\":
                i += 1
                if i < len(line):
                    literal(line[i])
            else:
                word.text += char
                word.pattern += char
                word.globs = word.globs or char in "*?["
        i += 1
    if quote:
        raise ValueError("No closing quotation")
    if word is not None:
        words.append(word)
    return words


def _expand_args(words: list[_ShellWord]) -> list[str]:
    """``~`` and glob patterns, as a shell would; a pattern with no match stays as typed."""
    expanded: list[str] = []
    for word in words:
        text = os.path.expanduser(word.text) if word.tilde else word.text
        pattern = os.path.expanduser(word.pattern) if word.tilde else word.pattern
        matches = sorted(glob.glob(pattern)) if word.globs else []
        expanded.extend(matches or [text])
    return expanded


def _notebook_cells(text: str, name: str) -> list[str]:
    """The code cells' sources of an nbformat 4 notebook, in order."""
    try:
        notebook = json.loads(text)
    except ValueError as err:
        raise UsageError(f"%run: {name!r} is not a notebook (invalid JSON: {err})") from None
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4:
        version = notebook.get("nbformat") if isinstance(notebook, dict) else None
        raise UsageError(f"%run: {name!r} is not an nbformat 4 notebook (nbformat {version})")
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            if source.strip():
                cells.append(source)
    return cells


def _breakpoint(path: str, spec: str) -> tuple[str, int]:
    """``-b 40`` or ``-b other.py:20`` as (absolute file, first breakable line at or after it)."""
    import pdb

    filename, lineno = path, spec
    if ":" in spec:
        filename, _, lineno = spec.rpartition(":")
        filename = os.path.abspath(os.path.expanduser(filename))
    try:
        first = int(lineno)
    except ValueError:
        raise UsageError(f"%run -d: -b takes a line number or FILE:LINE, not {spec!r}") from None
    probe = pdb.Pdb(stdout=io.StringIO())  # checkline reports on stdout; we say it in one line
    for candidate in range(first, first + 11):
        if probe.checkline(filename, candidate):
            return filename, candidate
    raise UsageError(f"%run -d: no line to break at in {filename} between lines {first} and {first + 10}; "
                     "choose another with -b")


@contextlib.contextmanager
def _script_context(argv: list[str], main_module: types.ModuleType | None,
                    folder: str | None = None) -> Iterator[None]:
    """Give the script its ``sys.argv`` (and ``sys.modules['__main__']``); put the session's back.

    ``folder``, the script's own, goes first on ``sys.path`` while it runs,
    as ``python script.py`` puts it, so the script imports the modules
    beside it (a module run with ``-m`` gets none: the current directory is
    already on ``sys.path``, as with ``python -m``).
    """
    saved_argv, saved_main = sys.argv, sys.modules.get("__main__")
    sys.argv = argv
    if main_module is not None:
        sys.modules["__main__"] = main_module
    added = folder is not None and folder not in sys.path
    if added and folder is not None:
        sys.path.insert(0, folder)
    try:
        yield
    finally:
        if added and folder in sys.path:
            sys.path.remove(folder)
        sys.argv = saved_argv
        if main_module is not None:
            if saved_main is None:
                sys.modules.pop("__main__", None)
            else:
                sys.modules["__main__"] = saved_main


def _restore(namespace: dict, saved: dict) -> None:
    for key, value in saved.items():
        if value is _MISSING:
            namespace.pop(key, None)
        else:
            namespace[key] = value
