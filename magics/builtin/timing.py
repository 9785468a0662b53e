"""Timing and profiling magics: ``%time``, ``%timeit`` and ``%prun``.

Usage::

    %time sum(range(10**6))              # CPU and wall time of one run; shows the value
    %timeit -n 1000 -r 5 x + 1           # mean ± std. dev. of 5 runs of 1,000 loops
    %%timeit data = list(range(100))     # in the cell form the line is setup code
    sorted(data)
    r = %timeit -o -q x + 1              # a TimeitResult: r.best, r.average, r.all_runs ...
    %timeit -q -v r x + 1                # the same TimeitResult, stored in r
    %prun -s cumulative -l 10 main()     # cProfile, sorted and limited as pstats does

The code a magic runs is compiled like a cell — transformed, then compiled
by the shell's compiler under a linecache-registered filename — so magics
work inside it, tracebacks show its lines, and top-level ``await`` works.

``%timeit`` must agree with ``python -m timeit``: the statement is placed in
a function built from stdlib timeit's own template, so the loop around it is
the same bytecode, and nothing of the shell runs between ``_timer()`` calls.
"""

from __future__ import annotations

import ast
import gc
import inspect
import io
import itertools
import math
import os
import re
import sys
import time
from pathlib import Path
from time import perf_counter
from typing import Any, Callable, Iterator

from magics.arguments import argument, magic_arguments, parse_argstring, rest
from magics.base import Magics
from magics.decorators import line_cell_magic, needs_local_scope, no_var_expand, output_can_be_silenced
from magics.errors import MagicArgumentError, UsageError

# stdlib timeit's template, with ``setup`` and ``stmt`` replaced by the user's
# statements as AST nodes (so their line numbers survive), not as text.
_TIMEIT_TEMPLATE = """\
{kind} inner(_it, _timer):
    setup
    _t0 = _timer()
    for _i in _it:
        stmt
        pass
    _t1 = _timer()
    return _t1 - _t0
"""

#: ``-t`` and ``-c`` choose these clocks; the default is stdlib timeit's.
_CLOCKS: dict[str | None, Callable[[], float]] = {"time": time.time, "cpu": time.process_time,
                                                 None: time.perf_counter}

_SLOW_COMPILE = 0.1  # seconds of compiling above which %time/%timeit say so
_CALIBRATION_TARGET = 0.2  # seconds one repeat should take, as timeit.Timer.autorange


class TimeitResult:
    """What ``%timeit -o`` returns; its repr is the summary line ``%timeit`` prints.

    ``all_runs``: total seconds of each run of ``loops`` loops; ``timings``:
    seconds per loop of each run; ``best``/``worst``: the fastest and slowest
    of those. The constructor is IPython's, so code that builds one still works.
    """

    def __init__(self, loops: int, repeat: int, best: float, worst: float, all_runs: list[float],
                 compile_time: float, precision: int = 3):
        self.loops = loops
        self.repeat = repeat
        self.best = best
        self.worst = worst
        self.all_runs = all_runs
        self.compile_time = compile_time
        self._precision = precision
        self.timings = [run / loops for run in all_runs]

    @property
    def average(self) -> float:
        return math.fsum(self.timings) / len(self.timings)

    @property
    def stdev(self) -> float:
        """Population standard deviation of the per-loop times, as IPython reports it."""
        mean = self.average
        return (math.fsum((t - mean) ** 2 for t in self.timings) / len(self.timings)) ** 0.5

    def __str__(self) -> str:
        pm = _symbols()[0]
        runs = f"{self.repeat:,} run{'' if self.repeat == 1 else 's'}"
        loops = f"{self.loops:,} loop{'' if self.loops == 1 else 's'}"
        return (f"{format_time(self.average, self._precision)} {pm} {format_time(self.stdev, self._precision)}"
                f" per loop (mean {pm} std. dev. of {runs}, {loops} each)")

    __repr__ = __str__


def format_time(seconds: float, precision: int = 3) -> str:
    """``12.3 µs``: ``precision`` significant digits in ns, µs, ms or s; ``1min 3s`` past a minute."""
    if seconds >= 60.0:
        parts, left = [], seconds
        for suffix, length in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
            value = int(left / length)
            if value > 0:
                left %= length
                parts.append(f"{value}{suffix}")
            if left < 1:
                break
        return " ".join(parts)
    units = ("s", "ms", _symbols()[1], "ns")
    order = min(-int(math.floor(math.log10(seconds)) // 3), 3) if seconds > 0.0 else 3
    shown = "%.*g" % (precision, seconds * 1000 ** order)
    if order and float(shown) >= 1000:  # 999.9996 ns rounds up: say 1 µs, not 1e+03 ns
        order -= 1
        shown = "%.*g" % (precision, seconds * 1000 ** order)
    return f"{shown} {units[order]}"


def _symbols() -> tuple[str, str]:
    """``±`` and ``µs``, or ASCII stand-ins where stdout cannot encode them (old Windows consoles)."""
    try:
        "±µ".encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return "+-", "us"
    return "±", "µs"


def _cpu_times() -> tuple[float, float]:
    """User and system CPU seconds of this process, at microsecond resolution where possible."""
    try:
        import resource
    except ImportError:  # Windows: os.times() is all there is
        return os.times()[:2]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def _is_coroutine(code: Any) -> bool:
    return bool(code.co_flags & inspect.CO_COROUTINE)


def _pass_like(node: ast.AST) -> ast.Pass:
    return ast.copy_location(ast.Pass(), node)


class TimingMagics(Magics):
    """``%time``, ``%timeit`` and ``%prun``: how long code takes, and where the time goes."""

    # -- %time -----------------------------------------------------------------------------
    @output_can_be_silenced
    @no_var_expand
    @needs_local_scope
    @line_cell_magic("time")
    def time_magic(self, line: str = "", cell: str | None = None, local_ns: dict | None = None) -> Any:
        """Time one run of a statement or cell: CPU (user, sys) and wall-clock time.

        ``%time stmt`` times one statement; ``%%time`` times the whole cell.
        The output is::

            CPU times: user 1.2 ms, sys: 0 ns, total: 1.2 ms
            Wall time: 2.3 ms

        If the code ends with an expression, its value is returned, so
        ``%time 1 + 1`` shows ``Out[N]: 2`` after the times (``%time 1 + 1;``
        shows none, as in IPython). Exceptions are
        reported as for any cell, without times. Unlike ``%timeit`` the code
        runs once, in the user namespace, so assignments stay.
        """
        __tracebackhide__ = True
        if cell is not None and line.strip():
            raise UsageError("Can't use statement directly after '%%time'!")
        source, first_line = (line, 1) if cell is None else (cell, 2)
        glob = self.shell.user_ns
        started = perf_counter()
        shown = source if cell is None else self._as_typed("time", line, cell)
        tree, filename = self._parse(source, first_line, shown, in_cell=cell is not None)
        final = tree.body[-1] if tree.body else None
        last = final if isinstance(final, ast.Expr) else None  # its value is shown, as a cell's
        if last is not None:
            tree.body.pop()
        body = self.shell.compile_cell(tree, filename)
        value_code = self._compile_expression(last.value, filename) if last is not None else None
        compile_time = perf_counter() - started

        cpu0, wall0 = _cpu_times(), perf_counter()
        self._execute(body, glob, local_ns)
        value = self._execute(value_code, glob, local_ns) if value_code is not None else None
        wall, cpu1 = perf_counter() - wall0, _cpu_times()

        user, system = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
        self.shell.write(f"CPU times: user {format_time(user)}, sys: {format_time(system)}, "
                         f"total: {format_time(user + system)}\nWall time: {format_time(wall)}\n")
        if compile_time > _SLOW_COMPILE:
            self.shell.write(f"Compiler : {format_time(compile_time)}\n")
        return value

    # -- %timeit ---------------------------------------------------------------------------
    @magic_arguments()
    @argument("-n", dest="number", type=int, default=0, metavar="N",
              help="loops per run (default: calibrated so one run takes about 0.2 s)")
    @argument("-r", dest="repeat", type=int, default=7, metavar="R",
              help="runs; the summary is the mean and std. dev. of their per-loop times (default: 7)")
    @argument("-t", dest="clock", action="store_const", const="time",
              help="measure with time.time (wall clock) instead of time.perf_counter")
    @argument("-c", dest="clock", action="store_const", const="cpu",
              help="measure with time.process_time (CPU time of this process)")
    @argument("-p", dest="precision", type=int, default=3, metavar="P",
              help="significant digits in the summary (default: 3)")
    @argument("-q", dest="quiet", action="store_true", help="print nothing")
    @argument("-o", dest="result", action="store_true", help="return a TimeitResult")
    @argument("-v", dest="variable", metavar="VAR", help="store the TimeitResult in the variable VAR, as IPython 9")
    @rest("statement", help="the statement to time; in %%%%timeit, setup code run once before each run")
    @no_var_expand
    @needs_local_scope
    @line_cell_magic("timeit")
    def timeit_magic(self, line: str = "", cell: str | None = None, local_ns: dict | None = None) -> Any:
        """Time a statement or cell precisely, as stdlib timeit does.

        ``%timeit [-n N -r R -t -c -p P -q -o] statement`` runs the statement
        ``N`` times per run, for ``R`` runs, and prints the mean and standard
        deviation of the time per loop::

            12.3 µs ± 0.4 µs per loop (mean ± std. dev. of 7 runs, 100,000 loops each)

        Without ``-n`` the loop count is calibrated the way
        ``timeit.Timer.autorange`` does (1, 2, 5, 10, 20, 50, ... loops) until
        one run takes at least 0.2 s. In ``%%timeit`` the line (after the
        options) is setup code, run at the start of every run and not timed;
        the cell is the statement.

        The statement sees the user namespace (and a function's locals when
        used inside one); names it assigns stay local to the timing function,
        as with stdlib timeit. Garbage collection is off while timing, again
        as in stdlib timeit. Top-level ``await`` works. A warning is printed
        when the slowest run was more than four times slower than the fastest,
        because that usually means a cached result, not a fair measurement.
        """
        __tracebackhide__ = True
        args = parse_argstring(self.timeit_magic, line)
        if args.number < 0 or args.repeat < 1 or args.precision < 1:
            raise MagicArgumentError("%timeit: -n must be >= 0, -r and -p >= 1")
        if args.variable is not None and not args.variable.isidentifier():
            raise MagicArgumentError(f"%timeit: -v needs a variable name, not {args.variable!r}")
        setup, stmt = ("", args.statement) if cell is None else (args.statement, cell)
        if cell is None and not stmt.strip():
            raise MagicArgumentError("%timeit: no statement to time (usage: %timeit [options] statement)")

        started = perf_counter()
        run = self._timer(setup, stmt, line, cell, local_ns, _CLOCKS[args.clock])
        compile_time = perf_counter() - started

        number = args.number or _calibrate(run)
        all_runs = [run(number) for _ in range(args.repeat)]
        result = TimeitResult(number, args.repeat, min(all_runs) / number, max(all_runs) / number,
                              all_runs, compile_time, args.precision)
        if not args.quiet:
            if result.worst > 4 * result.best and result.best > 0 and result.worst > 1e-6:
                self.shell.write(f"The slowest run took {result.worst / result.best:0.2f} times longer than the "
                                 "fastest. This could mean that an intermediate result is being cached.\n")
            self.shell.write(f"{result}\n")
            if compile_time > _SLOW_COMPILE:
                self.shell.write(f"Compiler time: {compile_time:.2f} s\n")
        if args.variable is not None:
            self.shell.push({args.variable: result})
        return result if args.result else None

    def _timer(self, setup: str, stmt: str, line: str, cell: str | None, local_ns: dict | None,
               clock: Callable[[], float]) -> Callable[[int], float]:
        """Compile the timing function; return ``run(number) -> seconds`` for ``number`` loops."""
        __tracebackhide__ = True
        in_cell = cell is not None
        shown = self._as_typed("timeit", line, cell) if cell is not None else stmt
        setup_tree, filename = self._parse(setup, 1, shown, in_cell=in_cell)
        stmt_tree, _ = self._parse(stmt, 2 if in_cell else 1, shown, in_cell=in_cell, filename=filename)
        # Compile each part on its own first, as IPython does: code that is
        # invalid on its own (a bare ``return``) must not become valid inside
        # the function, and whether it awaits decides the function's kind.
        compile_ = self.shell.compile_cell
        is_async = any([_is_coroutine(compile_(tree, filename)) for tree in (setup_tree, stmt_tree)])

        module = ast.parse(_TIMEIT_TEMPLATE.format(kind="async def" if is_async else "def"))
        inner = module.body[0]
        assert isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef))
        loop = inner.body[2]
        assert isinstance(loop, ast.For)
        inner.body[0:1] = setup_tree.body or [_pass_like(inner.body[0])]
        loop.body[0:1] = stmt_tree.body or [_pass_like(loop.body[0])]
        code = compile_(module, filename)

        glob = self.shell.user_ns if not local_ns else {**self.shell.user_ns, **local_ns}
        defined: dict[str, Any] = {}
        exec(code, glob, defined)  # only defines ``inner``; the user namespace is not touched
        function = defined["inner"]

        if is_async:
            awaiting = compile("await inner(it, timer)", "<timeit>", "eval", ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)

            def call(it: Iterator[None]) -> Any:
                return self.shell.run_code_object(awaiting, {"inner": function, "it": it, "timer": clock})
        else:
            def call(it: Iterator[None]) -> Any:
                return function(it, clock)

        def run(number: int) -> float:
            __tracebackhide__ = True
            it = itertools.repeat(None, number)
            gc_was_enabled = gc.isenabled()
            gc.disable()
            try:
                return call(it)
            finally:
                if gc_was_enabled:
                    gc.enable()

        return run

    # -- %prun ------------------------------------------------------------------------------
    @magic_arguments()
    @argument("-s", dest="sort", action="append", metavar="KEY",
              help="sort by KEY (repeatable; pstats keys: time, cumulative, calls, name, file, ...; default: time)")
    @argument("-l", dest="limit", action="append", metavar="LIMIT",
              help="limit the listing: an int (that many lines), a float (that fraction), or a regex "
                   "(lines matching it); repeatable, applied in order")
    @argument("-q", dest="quiet", action="store_true", help="do not print the profile")
    @argument("-D", dest="dump", metavar="FILE", help="save the raw stats to FILE (pstats.Stats can load it)")
    @argument("-T", dest="text", metavar="FILE", help="save the printed profile to FILE")
    @argument("-r", dest="stats", action="store_true", help="return the pstats.Stats object")
    @rest("statement", help="the code to profile; in %%%%prun, code run before the cell")
    @no_var_expand
    @line_cell_magic("prun")
    def prun_magic(self, line: str = "", cell: str | None = None) -> Any:
        """Run code under the cProfile profiler and show where the time went.

        ``%prun [-s KEY] [-l LIMIT] [-q] [-D FILE] [-T FILE] [-r] statement``
        runs the statement once in the user namespace and prints the pstats
        listing, sorted by internal time unless ``-s`` says otherwise (through
        the front end's pager when it has one). In ``%%prun`` the line (after
        the options) and then the cell are run. ``SystemExit`` inside the code
        is caught and reported; other exceptions are reported as usual.
        """
        __tracebackhide__ = True
        import cProfile
        import pstats

        args = parse_argstring(self.prun_magic, line)
        sort_keys = args.sort or ["time"]
        known = pstats.Stats().get_sort_arg_defs()
        bad = [key for key in sort_keys if key not in known]
        if bad:
            raise MagicArgumentError(f"%prun: unknown sort key {bad[0]!r} (try time, cumulative, calls, name)")
        limits = [_limit(text) for text in args.limit or []]
        source = args.statement if cell is None else f"{args.statement}\n{cell}"
        if not source.strip():
            raise MagicArgumentError("%prun: no statement to profile (usage: %prun [options] statement)")

        shown = source if cell is None else self._as_typed("prun", line, cell)
        tree, filename = self._parse(source, 1, shown, in_cell=cell is not None)
        code = self.shell.compile_cell(tree, filename)
        namespace = self.shell.user_ns
        profile = cProfile.Profile()
        exit_note = ""
        awaits = _is_coroutine(code)
        profile.enable()
        try:
            if awaits:
                self.shell.run_code_object(code, namespace)
            else:
                exec(code, namespace)
        except SystemExit:
            exit_note = "*** SystemExit exception caught in code being profiled."
        finally:
            profile.disable()

        printed = io.StringIO()
        stats = pstats.Stats(profile, stream=printed).strip_dirs().sort_stats(*sort_keys)
        stats.print_stats(*limits)
        listing = printed.getvalue().rstrip()
        # the listing is taken; later print_stats() calls go to the screen (typeshed omits Stats.stream)
        stats.stream = sys.stdout  # type: ignore[attr-defined]
        if not args.quiet:
            self.shell.page(listing)
        if exit_note:
            self.shell.write(exit_note + "\n")
        if args.dump:
            _saving(args.dump, lambda: profile.dump_stats(args.dump))
            self.shell.write(f"\n*** Profile stats marshalled to file {args.dump!r}.\n")
        if args.text:
            _saving(args.text, lambda: Path(args.text).write_text(listing + "\n", encoding="utf-8"))
            self.shell.write(f"\n*** Profile printout saved to text file {args.text!r}.\n")
        return stats if args.stats else None

    # -- shared ---------------------------------------------------------------------------
    def _parse(self, source: str, first_line: int, shown: str, *, in_cell: bool,
               filename: str | None = None) -> tuple[ast.Module, str]:
        """Transform and parse ``source`` as a cell, its lines numbered from ``first_line``.

        linecache gets ``shown`` — a line magic's code, or a cell magic's cell
        as typed, ``%%name`` line included — so tracebacks quote the right text.
        """
        __tracebackhide__ = True
        if filename is None:
            filename = self.shell.cell_filename(shown, self.shell.running_execution_count if in_cell else None)
        python = self.shell.transform_cell(source) if source.strip() else ""
        return self.shell.parse_cell("\n" * (first_line - 1) + python, filename), filename

    @staticmethod
    def _as_typed(name: str, line: str, cell: str) -> str:
        return f"%%{name} {line}".rstrip() + "\n" + cell

    def _compile_expression(self, node: ast.expr, filename: str) -> Any:
        """Compile an expression to ``eval`` code, with the cell flags (futures, top-level await)."""
        return self.shell.compile_expression(node, filename)

    def _execute(self, code: Any, glob: dict, local_ns: dict | None) -> Any:
        """Run code compiled by :meth:`_parse`; ``eval`` code returns its value."""
        __tracebackhide__ = True
        if _is_coroutine(code):
            return self.shell.run_code_object(code, glob if not local_ns else {**glob, **local_ns})
        return eval(code, glob, local_ns)


def _calibrate(run: Callable[[int], float]) -> int:
    """The loop count that makes one run take at least 0.2 s: 1, 2, 5, 10, 20, 50, ..."""
    __tracebackhide__ = True
    for power in itertools.count():
        for step in (1, 2, 5):
            number = step * 10 ** power
            if run(number) >= _CALIBRATION_TARGET:
                return number
    raise AssertionError("itertools.count() ended")


def _limit(text: str) -> int | float | str:
    """A pstats restriction: an int or float if it reads as one, else a regular expression."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    try:
        re.compile(text)
    except re.error as err:
        raise MagicArgumentError(f"%prun: -l {text!r} is neither a number nor a regular expression: {err}") from None
    return text


def _saving(path: str, write: Callable[[], Any]) -> None:
    """Write a file, turning an unwritable path into a one-line UsageError."""
    try:
        write()
    except OSError as err:
        raise UsageError(f"cannot write {path!r}: {err.strerror or err}") from None
