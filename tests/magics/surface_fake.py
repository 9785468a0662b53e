"""A shell that implements :class:`magics.surface.ShellSurface` and nothing more.

What docs/magics/extensions.md promises third-party authors: a magic that
uses only the surface runs against any shell that implements it. The fake
runs plain Python (no input transforms), keeps its output in lists, and has
a history of the cells it ran. It imports nothing from ``shell``.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import fnmatch
import io
import pdb
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, TracebackType
from typing import Any, Callable

from traitlets.config import Configurable

from magics.base import Magics
from magics.registry import MagicRegistry
from magics.surface import DisplaySink, HistoryRow, StaleCell


@dataclass
class FakeOutcome:
    execution_count: int | None
    result: Any = None
    error_before_exec: BaseException | None = None
    error_in_exec: BaseException | None = None

    @property
    def success(self) -> bool:
        return self.error_before_exec is None and self.error_in_exec is None


class FakeEvents:
    def __init__(self) -> None:
        self.callbacks: dict[str, list[Callable[..., Any]]] = {}

    def register(self, event: str, callback: Callable[..., Any]) -> None:
        self.callbacks.setdefault(event, []).append(callback)

    def unregister(self, event: str, callback: Callable[..., Any]) -> None:
        self.callbacks[event].remove(callback)


class FakeHistory:
    def __init__(self, cells: list[str]):
        self._cells = cells

    @property
    def session_number(self) -> int:
        return 1

    def _rows(self) -> list[HistoryRow]:
        return [(1, n, text) for n, text in enumerate(self._cells, start=1)]

    def get_range(self, session: int = 0, start: int = 1, stop: int | None = None, *, raw: bool = True,
                  output: bool = False) -> list[HistoryRow]:
        return [row for row in self._rows() if row[1] >= start and (stop is None or row[1] < stop)]

    def get_range_by_str(self, ranges: str, *, raw: bool = True, output: bool = False) -> list[HistoryRow]:
        found: list[HistoryRow] = []
        for part in ranges.split():
            first, _, last = part.partition("-")
            found += self.get_range(0, int(first), int(last or first) + 1)
        return found

    def tail(self, n: int = 10, *, raw: bool = True, output: bool = False,
             include_latest: bool = True) -> list[HistoryRow]:
        rows = self._rows() if include_latest else self._rows()[:-1]
        return rows[-n:]

    def search(self, pattern: str = "*", n: int | None = None, unique: bool = False, *, raw: bool = True,
               output: bool = False) -> list[HistoryRow]:
        rows = [row for row in self._rows() if fnmatch.fnmatch(row[2], pattern)]
        return rows[-n:] if n else rows

    def last(self, n: int = 1000, *, unique: bool = True) -> list[str]:
        return list(reversed(self._cells))[:n]


class _Sink:
    def __init__(self, write: Callable[[str], object], write_err: Callable[[str], object]):
        self._write, self._write_err = write, write_err

    def write(self, text: str) -> None:
        self._write(text)

    def write_err(self, text: str) -> None:
        self._write_err(text)


class FakeShell:
    """Only the surface: namespace, plain-Python cells, text output in lists."""

    def __init__(self, hocus_dir: Path):
        self.user_ns: dict[str, Any] = {}
        self.reset()
        self.execution_count = 1
        self.running_execution_count: int | None = None  # the cell run_cell runs now
        self.out: list[str] = []
        self.err: list[str] = []
        self._sink = _Sink(self.out.append, self.err.append)
        self._display: DisplaySink | None = None
        self.displayed: list[Any] = []
        self.paged: list[str] = []
        self.colors = "NoColor"
        self.last_error: BaseException | None = None
        self.call_pdb = False
        self.xmode = "Context"
        self.autoawait = True
        self.automagic = True
        self.autocall = 0
        # hidden state: what the lineage verbs answer, set by a test (the fake keeps no lineage)
        self.hidden_state = "warn"
        self.problems: list[str] = []
        self.stale: list[StaleCell] = []
        self.lineages: dict[str, list[str]] = {}
        self.cell_ids: list[str | None] = []  # the cell_id of each run_cell call
        self.pretty_printing = True
        self.hocus_dir = hocus_dir
        self.In: list[str] = [""]
        self.Out: dict[int, Any] = {}
        self.next_input: tuple[str, bool] | None = None
        self.answers: list[str] = []
        self._cells: list[str] = []
        self.history = FakeHistory(self._cells)
        self.events = FakeEvents()
        self._formatters: dict[tuple[str, str], Callable[[Any], Any]] = {}
        self._configurables: dict[str, Configurable] = {}
        self._precision = ""
        self._filenames = 0
        self.magics = MagicRegistry(self)
        from magics.builtin import register_builtin_magics

        register_builtin_magics(self.magics)

    @property
    def stdout(self) -> str:
        return "".join(self.out)

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    # -- namespace
    def user_variables(self) -> dict[str, Any]:
        return {k: v for k, v in self.user_ns.items() if not k.startswith("_") and k != "get_ipython"}

    def push(self, variables: dict[str, Any]) -> None:
        self.user_ns.update(variables)

    def forget_object(self, obj: Any) -> None:
        for count in [count for count, value in self.Out.items() if value is obj]:
            del self.Out[count]

    def reset(self, *, keep_history: bool = True) -> None:
        self.user_ns.clear()
        self.user_ns.update({"__name__": "__main__", "__builtins__": builtins, "get_ipython": self.get_ipython})

    # -- running code
    def run_cell(self, raw_cell: str, store_history: bool = True, silent: bool = False,
                 cell_id: str | None = None) -> FakeOutcome:
        self.cell_ids.append(cell_id)
        count = self.execution_count if store_history else None
        if store_history:
            self._cells.append(raw_cell)
            self.In.append(raw_cell)
            self.execution_count += 1
        outcome = FakeOutcome(count)
        outer = self.running_execution_count
        if count is not None:
            self.running_execution_count = count
        try:
            self._run(raw_cell, count, outcome)
        finally:
            self.running_execution_count = outer
        return outcome

    def _run(self, raw_cell: str, count: int | None, outcome: FakeOutcome) -> None:
        try:
            filename = self.cell_filename(raw_cell, count)
            code = self.compile_cell(self.parse_cell(raw_cell, filename), filename)
        except SyntaxError as err:
            outcome.error_before_exec = err
            return
        try:
            self.run_code_object(code)
        except Exception as err:  # noqa: BLE001 - a cell's error is reported, not raised
            outcome.error_in_exec = self.last_error = err
            self.write_err(f"{type(err).__name__}: {err}\n")

    def transform_cell(self, raw_cell: str) -> str:
        return raw_cell

    def cell_filename(self, source: str, execution_count: int | None = None) -> str:
        self._filenames += 1
        return f"<fake-cell-{self._filenames}>"

    def parse_cell(self, source: str, filename: str) -> ast.Module:
        return compile(source, filename, "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                       dont_inherit=True)

    def compile_cell(self, tree: ast.Module, filename: str) -> CodeType:
        return compile(tree, filename, "exec", dont_inherit=True)

    def compile_expression(self, node: ast.expr, filename: str) -> CodeType:
        return compile(ast.Expression(node), filename, "eval", dont_inherit=True)

    def run_code_object(self, code: CodeType, namespace: dict[str, Any] | None = None) -> Any:
        return eval(code, self.user_ns if namespace is None else namespace)

    def system(self, command: str) -> int:
        return self.run_process(command, shell=True).returncode

    def getoutput(self, command: str) -> list[str]:
        return self.run_process(command, shell=True, capture_stdout=True).stdout.splitlines()

    def run_process(self, args: str | Sequence[str], *, shell: bool = False, input: str | None = None,
                    capture_stdout: bool = False, capture_stderr: bool = False) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(args, shell=shell, input=input, text=True, capture_output=True)
        if not capture_stdout:
            self.write(done.stdout)
        if not capture_stderr:
            self.write_err(done.stderr)
        return done

    def start_process(self, args: str | Sequence[str], *, shell: bool = False, input: str | None = None,
                      capture_stdout: bool = False, capture_stderr: bool = False) -> subprocess.Popen[str]:
        return subprocess.Popen(args, shell=shell, text=True, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE if capture_stdout else None,
                                stderr=subprocess.PIPE if capture_stderr else None)

    def stop_processes(self, procs: Sequence[subprocess.Popen[str]]) -> None:
        for proc in procs:
            proc.kill()
            proc.wait()

    # -- output
    def write(self, text: str) -> None:
        self._sink.write(text)

    def write_err(self, text: str) -> None:
        self._sink.write_err(text)

    @contextlib.contextmanager
    def redirect_output(self, *, stdout: io.StringIO | None = None, stderr: io.StringIO | None = None,
                        display: DisplaySink | None = None) -> Iterator[None]:
        saved = self._sink, self._display
        self._sink = _Sink(stdout.write if stdout is not None else saved[0].write,
                           stderr.write if stderr is not None else saved[0].write_err)
        self._display = display or self._display
        try:
            yield
        finally:
            self._sink, self._display = saved

    def read_input(self, prompt: str, *, password: bool = False) -> str:
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)

    def get_ipython(self) -> object:
        return self

    def loaded_extensions(self) -> set[str]:
        return set()

    def display(self, *objs: Any, **kwargs: Any) -> object:
        for obj in objs:
            if self._display is not None:
                self._display.publish({"text/plain": repr(obj)})
            else:
                self.displayed.append(obj)
        return None

    def page(self, text: str) -> None:
        self.paged.append(text)

    def set_next_input(self, text: str, replace: bool = False) -> None:
        self.next_input = (text, replace)

    def format_plain(self, obj: Any) -> str:
        if isinstance(obj, float) and self._precision:
            return f"{obj:.{self._precision}f}"
        return repr(obj)

    def set_float_precision(self, spec: str) -> str:
        if spec and not spec.isdigit():
            raise ValueError(f"precision must be a number of digits, not {spec!r}")
        self._precision = spec
        return f"%.{spec}f" if spec else "%r"

    def formatter_for_type(self, module: str, name: str) -> Callable[[Any], Any] | None:
        return self._formatters.get((module, name))

    def register_formatter(self, module: str, name: str, func: Callable[[Any], Any] | None) -> None:
        if func is None:
            self._formatters.pop((module, name), None)
        else:
            self._formatters[(module, name)] = func

    # -- errors
    def showtraceback(self, exc: BaseException | None = None, *, mode: str | None = None) -> None:
        exc = exc or self.last_error
        if exc is not None:
            self.write_err(f"[{mode or self.xmode}] {type(exc).__name__}: {exc}\n")

    def format_exception_only(self, exc: BaseException) -> str:
        return f"{type(exc).__name__}: {exc}\n"

    def debugger(self, tb: TracebackType | None) -> None:
        self.write("(no debugger in the fake)\n")

    def new_debugger(self, *, stop_at_start: bool = True) -> pdb.Pdb:
        return pdb.Pdb()  # stops at the first line, whatever stop_at_start says

    # -- magics, events, configuration
    def register_magics(self, *magics: type[Magics] | Magics) -> None:
        for each in magics:
            self.magics.register_magics(each)

    def register_magic_function(self, func: Callable[..., Any], magic_kind: str = "line",
                                magic_name: str | None = None) -> None:
        self.magics.register_function(func, magic_kind, magic_name)

    def find_object(self, name: str) -> Any:
        head, *rest = name.split(".")
        if head in self.user_ns:
            obj = self.user_ns[head]
        elif hasattr(builtins, head):
            obj = getattr(builtins, head)
        else:
            raise NameError(name)
        for part in rest:
            obj = getattr(obj, part)
        return obj

    def inspect_object(self, name: str, detail: int = 0) -> str:
        return f"Type: {type(self.find_object(name)).__name__}\n"

    def search_names(self, pattern: str, *, namespaces: tuple[str, ...] = ("user", "builtin"),
                     include_private: bool = False, ignore_case: bool = False,
                     type_name: str | None = None) -> list[str]:
        return sorted(name for name in self.user_ns if fnmatch.fnmatch(name, pattern))

    def configurables(self) -> dict[str, Configurable]:
        return dict(self._configurables)

    def add_configurable(self, obj: Configurable) -> None:
        self._configurables[type(obj).__name__] = obj

    # -- hidden state
    def hidden_state_problems(self) -> list[str]:
        return list(self.problems)

    def stale_cells(self) -> list[StaleCell]:
        return list(self.stale)

    def name_lineage(self, name: str) -> list[str]:
        return list(self.lineages.get(name, []))
