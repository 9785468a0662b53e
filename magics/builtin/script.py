"""Cells run by another program: ``%%bash``, ``%%sh``, ``%%script``, ``%%python3``, ``%%perl``, ``%%ruby``.

Usage::

    %%bash
    for i in 1 2 3; do echo $i; sleep 1; done     # each number shows when printed

    %%script python3 -u                            # any program that reads a script on stdin
    print("hi")

    %%bash --out listing --err problems            # capture into variables instead of printing
    ls / /nonexistent

    %%bash --bg --proc job                          # run in the background; job is the Popen
    sleep 10; echo done

    %%bash --no-raise-error                         # a non-zero exit is not an error
    exit 3

The cell is written to the program's standard input, as IPython does, so
``%%script sqlite3 data.db`` works as well as ``%%script perl``. Words that
are not hocus's options go to the program (``%%bash -x``, ``%%script python3
-u``); the options may come before or after the program, as IPython allows.
Output streams live and Ctrl-C stops the program as for ``!cmd`` (both go
through :meth:`ShellSurface.run_process`). By default a non-zero exit
raises :class:`CalledProcessError` (a ``subprocess.CalledProcessError``),
shown as one line.

``%%perl`` and ``%%ruby`` are always registered; where the interpreter is
not installed they say so in one line. ``%%python`` and ``%%python3`` run
the interpreter hocus itself runs on, so the cell sees the same packages.
``%killbgscripts`` stops every ``--bg`` program, which also happens when
the shell exits.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shlex
import shutil
import subprocess
import sys
from typing import Any, Callable, TypeVar

from magics.arguments import argument, magic_arguments, parse_argstring, rest
from magics.base import Magics
from magics.decorators import cell_magic, expand_vars, line_magic
from magics.errors import UsageError
from magics.surface import ShellSurface

F = TypeVar("F", bound=Callable[..., Any])


class CalledProcessError(UsageError, subprocess.CalledProcessError):
    """A script magic's program exited with a non-zero status.

    It is a ``subprocess.CalledProcessError`` (``returncode``, ``cmd``,
    ``output``, ``stderr``), as in IPython, so ``except CalledProcessError``
    works and the kernel reports that name; being a UsageError too, the
    engine shows it as one line, under its own name (``display_name``)::

        CalledProcessError: Command 'bash' returned non-zero exit status 3.
    """

    display_name = "CalledProcessError"

    def __init__(self, returncode: int, cmd: str, output: str | None = None, stderr: str | None = None):
        subprocess.CalledProcessError.__init__(self, returncode, cmd, output, stderr)

    def __str__(self) -> str:
        return subprocess.CalledProcessError.__str__(self)


def script_options(program_help: str) -> Callable[[F], F]:
    """The options every script magic takes, then the program's own words."""

    def decorate(func: F) -> F:
        func = rest("args", help=program_help, keep_unknown_options=True)(func)
        func = argument("--no-raise-error", action="store_true",
                        help="do not raise CalledProcessError when the program exits with a non-zero status")(func)
        func = argument("--proc", metavar="VAR", help="with --bg: store the process (a subprocess.Popen) in VAR")(func)
        func = argument("--bg", action="store_true",
                        help="run in the background; output still shows unless --out/--err take it")(func)
        func = argument("--err", metavar="VAR", help="store standard error in VAR instead of showing it")(func)
        func = argument("--out", metavar="VAR", help="store standard output in VAR instead of showing it")(func)
        return magic_arguments()(func)

    return decorate


_EXTRA_ARGS = "more arguments for the program (e.g. -x for bash)"


class ScriptMagics(Magics):
    """Run a cell with bash, sh, another interpreter, or any program reading stdin."""

    def __init__(self, shell: ShellSurface):
        super().__init__(shell)
        self.background: list[subprocess.Popen] = []
        self._atexit_registered = False

    @expand_vars
    @script_options("the program to run and its arguments, e.g. python3 -u")
    @cell_magic
    def script(self, line: str, cell: str) -> None:
        """Run the cell with a program that reads a script on standard input.

        ``%%script python3``, ``%%script perl -w``, ``%%script sqlite3 db``:
        the cell goes to the program's stdin and its output streams live.
        """
        return self._run("script", None, line, cell)

    @expand_vars
    @script_options(_EXTRA_ARGS)
    @cell_magic
    def bash(self, line: str, cell: str) -> None:
        """Run the cell with bash (``%%bash -x`` passes ``-x`` to bash); output streams live."""
        return self._run("bash", "bash", line, cell)

    @expand_vars
    @script_options(_EXTRA_ARGS)
    @cell_magic
    def sh(self, line: str, cell: str) -> None:
        """Run the cell with ``sh``, the POSIX shell; output streams live."""
        return self._run("sh", "sh", line, cell)

    @expand_vars
    @script_options(_EXTRA_ARGS)
    @cell_magic
    def python(self, line: str, cell: str) -> None:
        """Run the cell in a new process of the Python hocus runs on (the same packages)."""
        return self._run("python", sys.executable or "python3", line, cell)

    @expand_vars
    @script_options(_EXTRA_ARGS)
    @cell_magic
    def python3(self, line: str, cell: str) -> None:
        """Run the cell in a new process of the Python hocus runs on (the same packages)."""
        return self._run("python3", sys.executable or "python3", line, cell)

    @expand_vars
    @script_options(_EXTRA_ARGS)
    @cell_magic
    def perl(self, line: str, cell: str) -> None:
        """Run the cell with perl; output streams live."""
        return self._run("perl", "perl", line, cell)

    @expand_vars
    @script_options(_EXTRA_ARGS)
    @cell_magic
    def ruby(self, line: str, cell: str) -> None:
        """Run the cell with ruby; output streams live."""
        return self._run("ruby", "ruby", line, cell)

    @line_magic
    def killbgscripts(self, line: str = "") -> None:
        """Stop every program started with ``--bg`` (SIGINT, then SIGTERM, then SIGKILL)."""
        self.shell.stop_processes(self.background)
        self.background.clear()
        self.shell.write("All background processes were killed.\n")

    # -- running --------------------------------------------------------------------------
    def _run(self, magic: str, program: str | None, line: str, cell: str) -> None:
        parse_line = getattr(self, magic)
        args = parse_argstring(parse_line, line)
        argv = self._argv(magic, program, take_late_options(magic, _split(magic, args.args or ""), args))
        for option in ("out", "err", "proc"):
            name = getattr(args, option)
            if name is not None and not name.isidentifier():
                raise UsageError(f"%%{magic}: --{option} needs a variable name, not {name!r}")
        if args.proc and not args.bg:
            raise UsageError(f"%%{magic}: --proc only makes sense with --bg")
        if args.bg:
            return self._start(magic, argv, cell, args)
        try:
            result = self.shell.run_process(argv, input=cell, capture_stdout=bool(args.out),
                                            capture_stderr=bool(args.err))
        except OSError as err:
            raise UsageError(f"%%{magic}: cannot run {argv[0]}: {err.strerror or err}") from None
        except KeyboardInterrupt:
            if not args.no_raise_error:
                raise
            # the program has been stopped; as in IPython, --no-raise-error makes that no error
            self.shell.write("Process is interrupted.\n")
            return None
        if args.out:
            self.shell.user_ns[args.out] = result.stdout
        if args.err:
            self.shell.user_ns[args.err] = result.stderr
        if result.returncode != 0 and not args.no_raise_error:
            raise CalledProcessError(result.returncode, magic if program else shlex.join(argv),
                              result.stdout, result.stderr)
        return None

    def _argv(self, magic: str, program: str | None, argv: list[str]) -> list[str]:
        """The command to start; a missing program is a one-line error."""
        if program is not None:
            argv.insert(0, program)
        if not argv:
            raise UsageError(f"%%{magic}: name the program to run, e.g. %%script python3")
        if os.sep not in argv[0] and shutil.which(argv[0]) is None:
            raise UsageError(f"%%{magic}: {argv[0]}: command not found")
        return argv

    def _start(self, magic: str, argv: list[str], cell: str, args: argparse.Namespace) -> None:
        try:
            proc = self.shell.start_process(argv, input=cell, capture_stdout=bool(args.out),
                                            capture_stderr=bool(args.err))
        except OSError as err:
            raise UsageError(f"%%{magic}: cannot run {argv[0]}: {err.strerror or err}") from None
        self.background[:] = [p for p in self.background if p.poll() is None] + [proc]  # atexit holds it
        if not self._atexit_registered:
            atexit.register(self.shell.stop_processes, self.background)
            self._atexit_registered = True
        if args.out:
            self.shell.user_ns[args.out] = proc.stdout
        if args.err:
            self.shell.user_ns[args.err] = proc.stderr
        if args.proc:
            self.shell.user_ns[args.proc] = proc
        return None


_FLAGS = {"--bg": "bg", "--no-raise-error": "no_raise_error"}
_VALUED = {"--out": "out", "--err": "err", "--proc": "proc"}


def take_late_options(magic: str, words: list[str], args: argparse.Namespace) -> list[str]:
    """Move our options written after the program (``%%script python3 --out x``) into ``args``.

    IPython accepts options anywhere on the line, so hocus does too; the
    other words are the program's.
    """
    kept: list[str] = []
    words_left = iter(words)
    for word in words_left:
        key, equals, value = word.partition("=")
        if word in _FLAGS:
            setattr(args, _FLAGS[word], True)
        elif key in _VALUED:
            if not equals:
                following = next(words_left, None)
                if following is None:
                    raise UsageError(f"%%{magic}: {key} needs a value")
                value = following
            setattr(args, _VALUED[key], value)
        else:
            kept.append(word)
    return kept


def _split(magic: str, words: str) -> list[str]:
    try:
        return shlex.split(words)
    except ValueError as err:
        raise UsageError(f"%%{magic}: cannot split {words!r}: {err}") from None
