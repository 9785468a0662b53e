"""The surface of the shell that magics may use: :class:`ShellSurface`.

Every magic — built-in or third-party — receives the shell it runs in
(``self.shell`` in a :class:`~magics.base.Magics` subclass) and uses it only
through the attributes and methods declared here. hocus's engine implements
this Protocol; a test can implement a fake (``tests/magics/test_surface.py``
runs the built-in magics against one). If a magic needs more, widen this
surface on purpose, with a docstring.

The surface hands out verbs, not the engine's parts: a magic compiles a cell
with :meth:`ShellSurface.compile_cell`, not through the engine's compiler, and
redirects output with :meth:`ShellSurface.redirect_output`, not by swapping the
engine's seams. The few objects it does hand out are typed by the small
Protocols below (:class:`HistoryReader`, :class:`EventRegistry`,
:class:`DisplaySink`), so a type checker holds both sides to them. Values of
the user's own (the namespace, ``Out``, a found object) stay ``Any``: they are
whatever the user made.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import CodeType, TracebackType
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Protocol, runtime_checkable

if TYPE_CHECKING:  # for annotations only: start-up imports none of these
    import ast
    import io
    import pdb
    import subprocess

    from traitlets.config import Configurable

    from magics.base import Magics
    from magics.registry import MagicRegistry

HistoryRow = tuple[int, int, Any]
"""``(session, number, source)``, or ``(session, number, (source, output))`` when output was asked for."""


class HistoryReader(Protocol):
    """Every stored cell of this and earlier sessions (``%history``, ``%rerun``, ``%macro``).

    Rows come oldest first; ``session`` 0 means this session, ``-N`` N sessions before it.
    """

    @property
    def session_number(self) -> int:
        """This session's id."""

    def get_range(self, session: int = 0, start: int = 1, stop: int | None = None, *, raw: bool = True,
                  output: bool = False) -> list[HistoryRow]:
        """Cells ``start`` ≤ number < ``stop`` of ``session``."""

    def get_range_by_str(self, ranges: str, *, raw: bool = True, output: bool = False) -> list[HistoryRow]:
        """Cells named by a range string such as ``"4-6 ~2/1-5 ~1/"`` (ValueError if it is not one)."""

    def tail(self, n: int = 10, *, raw: bool = True, output: bool = False,
             include_latest: bool = True) -> list[HistoryRow]:
        """The last ``n`` cells of all sessions."""

    def search(self, pattern: str = "*", n: int | None = None, unique: bool = False, *, raw: bool = True,
               output: bool = False) -> list[HistoryRow]:
        """Cells whose raw source matches the glob ``pattern``; the ``n`` newest."""

    def last(self, n: int = 1000, *, unique: bool = True) -> list[str]:
        """Raw sources of the ``n`` most recent cells across sessions, newest first."""


class EventRegistry(Protocol):
    """The shell's events (``pre_run_cell``, ``post_run_cell``, ...); an unknown name is a ValueError."""

    def register(self, event: str, callback: Callable[..., Any]) -> None:
        """Call ``callback`` whenever ``event`` fires."""

    def unregister(self, event: str, callback: Callable[..., Any]) -> None:
        """Stop calling ``callback`` for ``event``."""


class DisplaySink(Protocol):
    """Where display data goes while :meth:`ShellSurface.redirect_output` holds it (``%%capture``)."""

    def publish(self, data: dict[str, Any], metadata: dict[str, Any] | None = None, *,
                transient: dict[str, Any] | None = None, update: bool = False) -> None:
        """Take a ``display()`` bundle."""

    def publish_result(self, execution_count: int | None, data: dict[str, Any],
                       metadata: dict[str, Any] | None = None) -> None:
        """Take a cell's result bundle (``Out[N]``)."""

    def clear_output(self, wait: bool = False) -> None:
        """Forget what was taken (``clear_output()``)."""


class CellOutcome(Protocol):
    """What :meth:`ShellSurface.run_cell` reports (the engine's ExecutionResult)."""

    @property
    def execution_count(self) -> int | None: ...

    @property
    def result(self) -> Any: ...

    @property
    def error_before_exec(self) -> BaseException | None: ...

    @property
    def error_in_exec(self) -> BaseException | None: ...

    @property
    def success(self) -> bool: ...


class StaleCell(NamedTuple):
    """A cell to run again so that no name is stale (``%stale``, ``%rerun --stale``; docs/hidden-state.md)."""

    label: str
    """How warnings name it: ``cell [3] (id 1f0e2a9c)`` in a notebook, ``In [3]`` in the terminal."""
    code: str
    """Its code as last run."""
    cell_id: str | None
    """What to pass as ``run_cell``'s ``cell_id`` so that the run counts as that cell: the front end's
    cell id, or for a cell that had none (the terminal's) one the shell made from its code."""


@runtime_checkable
class ShellSurface(Protocol):
    # -- the namespace -------------------------------------------------------------------
    user_ns: dict[str, Any]
    """The user's namespace: cells run with it as their globals."""

    def user_variables(self) -> dict[str, Any]:
        """The user's own names, without what the shell itself put there (``%who``)."""

    def push(self, variables: dict[str, Any]) -> None:
        """Put variables into the namespace."""

    def forget_object(self, obj: Any) -> None:
        """Drop the session's own references to ``obj`` (the output cache, the last result, the
        namespaces ``%run`` scripts keep), so that deleting the user's names frees it (``%xdel``)."""

    def reset(self, *, keep_history: bool = True) -> None:
        """Empty the namespace (``%reset``)."""

    # -- running code ----------------------------------------------------------------------
    execution_count: int
    """The number the next stored cell gets: a counter shared by cells running at once (a kernel's
    subshells), so not the number of the cell running a magic; that is :attr:`running_execution_count`."""

    @property
    def running_execution_count(self) -> int | None:
        """The number of the cell running this magic (``In[N]``; an unstored cell run inside a cell, as
        ``%rerun`` runs one, counts as that cell); None outside any stored cell."""

    def run_cell(self, raw_cell: str, store_history: bool = True, silent: bool = False,
                 cell_id: str | None = None) -> CellOutcome:
        """Run a cell as if typed; returns an ExecutionResult, never raises. ``cell_id``: run it as that
        front-end cell (its hidden-state lineage is that cell's), not as part of the calling one."""

    def transform_cell(self, raw_cell: str) -> str:
        """The plain Python a cell becomes."""

    def cell_filename(self, source: str, execution_count: int | None = None) -> str:
        """A new filename for code compiled as a cell, with ``source`` registered in linecache
        (tracebacks, ``%debug`` and ``obj??`` show its lines); ``execution_count`` labels it ``In[N]``."""

    def parse_cell(self, source: str, filename: str) -> ast.Module:
        """Parse plain Python as a cell is parsed: the session's ``__future__`` imports, top-level ``await``."""

    def compile_cell(self, tree: ast.Module, filename: str) -> CodeType:
        """Compile a parsed cell as cells are compiled (``__future__`` imports it makes are remembered)."""

    def compile_expression(self, node: ast.expr, filename: str) -> CodeType:
        """Compile one expression to ``eval`` code with the cell flags (futures, top-level ``await``)."""

    def run_code_object(self, code: CodeType, namespace: dict[str, Any] | None = None) -> Any:
        """Execute compiled code (coroutine code included, awaited) in a namespace; ``eval`` code gives
        its value."""

    def system(self, command: str) -> int:
        """Run a shell command, streaming its output; returns the exit status."""

    def getoutput(self, command: str) -> list[str]:
        """Run a shell command and return its output lines."""

    def run_process(self, args: str | Sequence[str], *, shell: bool = False, input: str | None = None,
                    capture_stdout: bool = False, capture_stderr: bool = False) -> subprocess.CompletedProcess[str]:
        """Run a program (argument list, or a command line with ``shell=True``) as ``!`` does.

        ``input`` goes to its stdin; output that is not captured streams live;
        Ctrl-C stops its process group and raises KeyboardInterrupt. Returns a
        ``subprocess.CompletedProcess`` (``returncode``, captured ``stdout``/
        ``stderr`` as text); raises OSError when the program cannot start.
        """

    def start_process(self, args: str | Sequence[str], *, shell: bool = False, input: str | None = None,
                      capture_stdout: bool = False, capture_stderr: bool = False) -> subprocess.Popen[str]:
        """Start a program in the background; returns its ``subprocess.Popen``.

        Output that is not captured is shown as it comes; captured output is
        left readable as ``proc.stdout``/``proc.stderr`` (text).
        """

    def stop_processes(self, procs: Sequence[subprocess.Popen[str]]) -> None:
        """End programs from :meth:`start_process` and their process groups, gently first
        (SIGINT, then SIGTERM, then SIGKILL, within a second)."""

    # -- output ----------------------------------------------------------------------------
    def write(self, text: str) -> None:
        """Write text for the user."""

    def write_err(self, text: str) -> None:
        """Write error text for the user."""

    def redirect_output(self, *, stdout: io.StringIO | None = None, stderr: io.StringIO | None = None,
                        display: DisplaySink | None = None) -> AbstractContextManager[None]:
        """Inside the ``with`` block, the shell's own text goes to ``stdout``/``stderr`` (each left as
        it is when None) and display data to ``display`` (``%%capture``). ``sys.stdout`` is the
        caller's to redirect."""

    def read_input(self, prompt: str, *, password: bool = False) -> str:
        """Ask the user for a line, in every front end (a kernel asks through its stdin channel);
        EOFError at end of input."""

    # -- code written for IPython ---------------------------------------------------------
    def get_ipython(self) -> object:
        """The shell as IPython code expects it: IPython's shell API when IPython is installed
        (``%load_ext`` hands it to ``load_ipython_extension``), else the shell itself."""

    def loaded_extensions(self) -> set[str]:
        """Names of the extensions ``%load_ext`` has loaded in this session."""

    def display(self, *objs: Any, **kwargs: Any) -> object:
        """Show objects with their richest representation."""

    def page(self, text: str) -> None:
        """Show long text, through a pager where the front end has one."""

    colors: str
    """The colour scheme: ``NoColor``, ``Neutral``, ``Linux`` or ``LightBG`` (``%pycat`` highlights by it)."""

    def set_next_input(self, text: str, replace: bool = False) -> None:
        """Offer ``text`` as the next input (``%load``); ``replace``: instead of the current cell's text."""

    def format_plain(self, obj: Any) -> str:
        """The ``text/plain`` text a result shows for ``obj`` (the pretty printer, ``%precision`` applied)."""

    def set_float_precision(self, spec: str) -> str:
        """Apply ``%precision``: digits, a %-format, or '' for ``repr``; returns the format in use
        (ValueError on a bad spec)."""

    pretty_printing: bool
    """Whether results are pretty-printed (``PlainTextFormatter.pprint``, ``%pprint``)."""

    def formatter_for_type(self, module: str, name: str) -> Callable[[Any], Any] | None:
        """The display formatter registered for instances of ``module.name``, if any."""

    def register_formatter(self, module: str, name: str, func: Callable[[Any], Any] | None) -> None:
        """Format instances of ``module.name`` with ``func(obj)`` -> ``{mime: data}``; None removes it."""

    # -- errors and debugging --------------------------------------------------------------------
    last_error: BaseException | None
    """The last exception a cell raised (``%tb``, ``%debug``)."""

    call_pdb: bool
    """Start the post-mortem debugger automatically after an exception (``%pdb``)."""

    xmode: str
    """The traceback mode (Plain, Context, Verbose, Minimal); setting it changes how tracebacks show."""

    autoawait: bool
    """Whether a cell's top-level ``await`` runs, on asyncio (``%autoawait``); off, it is a SyntaxError."""

    def showtraceback(self, exc: BaseException | None = None, *, mode: str | None = None) -> None:
        """Print an exception's traceback as cells do (``mode``: in that mode, this once)."""

    def format_exception_only(self, exc: BaseException) -> str:
        """The last lines of a traceback: for a SyntaxError, where it is, a caret and the message."""

    def debugger(self, tb: TracebackType | None) -> None:
        """Post-mortem debugging on a traceback."""

    def new_debugger(self, *, stop_at_start: bool = True) -> pdb.Pdb:
        """The session's debugger, to run code under with its ``run`` (``%debug statement``, ``%run -d``):
        pdb's commands, source shown as the front end shows it; ``stop_at_start`` False: ``run`` goes on
        to the first breakpoint instead of stopping at the code's first line."""

    # -- magics, events, configuration --------------------------------------------------------
    @property
    def magics(self) -> MagicRegistry:
        """The MagicRegistry: ``find``, ``names``, ``register_*``, ``alias``."""

    automagic: bool
    """Whether line magics run without ``%`` when no variable shadows them."""

    autocall: int
    """IPython's autocall mode: 0 off, 1 ``f 1`` runs ``f(1)``, 2 a bare ``f`` runs ``f()`` too."""

    @property
    def events(self) -> EventRegistry:
        """The EventManager: ``register(name, callback)``."""

    def register_magics(self, *magics: type[Magics] | Magics) -> None:
        """Register Magics classes or instances (what extensions call, as in IPython)."""

    def register_magic_function(self, func: Callable[..., Any], magic_kind: str = "line", magic_name: str | None = None) -> None:
        """Make a function a ``'line'``, ``'cell'`` or ``'line_cell'`` magic."""

    def find_object(self, name: str) -> Any:
        """The object a dotted ``name`` names (user namespace, then builtins), found by attribute
        access alone, nothing evaluated: a property comes back as the property, its getter not
        run; ``NameError`` when there is none."""

    def inspect_object(self, name: str, detail: int = 0) -> str:
        """The text ``name?`` (detail 0) or ``name??`` (detail 1) shows; NameError if not found."""

    def search_names(self, pattern: str, *, namespaces: tuple[str, ...] = ("user", "builtin"),
                     include_private: bool = False, ignore_case: bool = False,
                     type_name: str | None = None) -> list[str]:
        """Names matching a wildcard like ``os.*path*`` (``%psearch``).

        ``namespaces`` picks from ``"user"`` and ``"builtin"``; ``type_name``
        keeps only objects of that type (``function``, ``module``, ``int``...).
        """

    def configurables(self) -> dict[str, Configurable]:
        """Configurable objects by class name (``%config``)."""

    def add_configurable(self, obj: Configurable) -> None:
        """Let ``%config`` see one more configurable object (``%matplotlib inline`` adds InlineBackend)."""

    @property
    def hocus_dir(self) -> Path:
        """The user data folder (``$HOCUS_DIR``)."""

    @property
    def In(self) -> list[str]:
        """The cells typed so far, ``In[N]`` (``%history``, ``%macro``)."""

    @property
    def Out(self) -> dict[int, Any]:
        """The results shown so far, ``Out[N]``."""

    @property
    def history(self) -> HistoryReader:
        """Every stored cell of this and earlier sessions (``%history``, ``%rerun``, ``%macro``)."""

    # -- hidden state (docs/hidden-state.md) ---------------------------------------------------
    hidden_state: str
    """``"warn"``: the session records which cell made each name and warns about hidden state; ``"off"``."""

    def hidden_state_problems(self) -> list[str]:
        """One line per name that is stale or comes from a deleted or edited cell, oldest first (``%stale``)."""

    def stale_cells(self) -> list[StaleCell]:
        """The cells to run again, in dependency order, so that no name is stale (``%stale``, ``%rerun --stale``)."""

    def name_lineage(self, name: str) -> list[str]:
        """Where ``name`` came from, one line per binding: its cell, then the names and cells it was
        computed from, indented (``%deps``); ``[]`` when no cell the session saw made it."""
