"""The engine: :class:`Shell` runs cells in a user namespace.

Usage::

    from shell import Shell
    sh = Shell()
    sh.run_cell("x = 1")
    sh.run_cell("%timeit x + 1")
    sh.user_ns["x"]

A Shell is composed of small parts, each in its own module: the input
transforms, a :class:`~shell.engine.execution.CellCompiler`, the ``In``/
``Out`` caches, a :class:`~shell.engine.history.store.HistoryStore` (``Shell(history=...)``
to pass one in), a display formatter and publisher, a traceback formatter,
events, and a :class:`~magics.registry.MagicRegistry`. It talks to the
outside only through the seams in :mod:`shell.engine.io`, so the terminal,
the kernel and tests each plug in their own. It imports no front end.

The methods IPython users call on ``get_ipython()`` (``run_line_magic``,
``run_cell_magic``, ``register_magic_function``, ``ex``, ``ev``, ``system``,
``getoutput``, ``user_ns``, ``events.register``, ``push``) are on it too. This
module keeps what runs a cell; the rest is mixed in from modules of their own:
the magics surface's verbs (:mod:`~shell.engine.magic_surface`), completion and
inspection (:mod:`~shell.engine.introspection_calls`), the magic API
(:mod:`~shell.engine.magic_calls`), running programs
(:mod:`~shell.engine.program_commands`) and error reports
(:mod:`~shell.engine.error_reports`).
"""

from __future__ import annotations

import builtins
import contextlib
import os
import types
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from traitlets import Bool, CaselessStrEnum, Enum, observe
from traitlets.config import Configurable

from magics.builtin import register_builtin_magics
from magics.discovery import register_entry_point_magics
from magics.macro import Macro
from magics.registry import MagicRegistry
from shell.bridge.hook import activate as activate_bridge, ipython_installed
from shell.engine.caches import CellCaches
from shell.engine.concurrent_cells import CellNumbers, CellScope, NameLease
from shell.engine.transforms.cell_hooks import apply_ast_transformers, apply_line_transformers
from shell.engine.display.displayer import Displayer, current_displayer
from shell.engine.error_reports import ErrorReports
from shell.engine.events import EventManager
from shell.engine.execution import (INTERACTIVITY, AsyncRunner, CellCompiler, ends_with_semicolon,
                                    is_coroutine_code, prepare_module)
from shell.engine.exiting import ExitCommand
from shell.engine.display.formatting import DisplayFormatter
from shell.engine.history.store import HistoryStore
from shell.engine.transforms.hook import TransformHook
from shell.engine.debugging.session import breakpoint_hook
from shell.engine.introspection_calls import Introspection
from shell.engine.lineage.tracker import LineageTracker
from shell.engine.lineage.verbs import HiddenStateVerbs
from shell.engine.io import (BuiltinInput, DisplayPublisher, ErrorReporter, InputProvider, Output, Pager, StdStreams,
                             TextDisplayPublisher)
from shell.engine.magic_runner import MagicRunner
from shell.engine.magic_calls import MagicCalls
from shell.engine.magic_surface import SurfaceVerbs
from shell.engine.namespace import UserNamespace, is_cache_name
from shell.engine.program_commands import ProgramCommands
from shell.engine.result import ExecutionInfo, ExecutionResult
from shell.engine.processes.standard_fds import StandardFds
from shell.engine.transforms.syntax import HOOK, Autocall, is_cell_magic as _is_cell_magic, transform_cell as _transform_cell

if TYPE_CHECKING:
    import asyncio  # only cells that await load it

    from traitlets.config import Config

    from shell.engine.tracebacks.formatter import TracebackFormatter
    from shell.engine.transforms.completeness import Completeness


def default_hocus_dir() -> Path:
    """``$HOCUS_DIR``, or ``~/.hocus``: config, startup scripts, history."""
    return Path(os.environ.get("HOCUS_DIR") or Path.home() / ".hocus")


class Shell(Configurable, UserNamespace, SurfaceVerbs, Introspection, MagicCalls, ProgramCommands, ErrorReports,
            HiddenStateVerbs):
    """One interactive session: a namespace, a counter, and the machinery to run cells."""

    automagic = Bool(True, help="Run line magics without the % prefix when no variable shadows the name.").tag(config=True)
    autocall = Enum((0, 1, 2), 0, help="IPython's autocall (also %autocall): 1 turns a one-line cell `f 1` into "
                                       "`f(1)`, 2 also calls a bare `f`; 0 is off. The escapes `,f a`, `;f a` "
                                       "and `/f a` work in every mode.").tag(config=True)
    pdb = Bool(False, help="Start the post-mortem debugger after every exception.").tag(config=True)
    colors = CaselessStrEnum(("NoColor", "Neutral", "Linux", "LightBG"), "NoColor",
                             help="Colour scheme for tracebacks and prompts. The hocus command and embed() "
                                  "choose Neutral on a colour terminal (NoColor under NO_COLOR, TERM=dumb or "
                                  "with output to a pipe), the kernel Neutral; a value set here wins."
                             ).tag(config=True)
    xmode = CaselessStrEnum(("Plain", "Context", "Verbose", "Minimal"), "Context",
                            help="Traceback mode (also %xmode).").tag(config=True)
    autoawait = Bool(True, help="Run a cell's top-level await on asyncio (also %autoawait); off, such an "
                                "await is a SyntaxError, as in plain Python.").tag(config=True)
    ast_node_interactivity = Enum(INTERACTIVITY, "last_expr",
                                  help="Which statements of a cell show their value, as IPython's setting: "
                                       "'last_expr' (the last one, if an expression), 'last_expr_or_assign' "
                                       "(also a last 'x = ...'), 'last', 'all' or 'none'.").tag(config=True)
    hidden_state = Enum(("warn", "off"), "warn",
                        help="Hidden state (docs/hidden-state.md). 'warn': record which cell made each name and, "
                             "before a cell's output, write one line on stderr for each name it reads that comes "
                             "from a deleted cell, from a cell whose code no longer binds it, or that is stale "
                             "(computed from a name its cell has re-bound since). 'off': record nothing, at no "
                             "cost.").tag(config=True)

    def __init__(self, *, user_ns: dict[str, Any] | None = None, user_module: types.ModuleType | None = None,
                 output: Output | None = None, display_publisher: DisplayPublisher | None = None,
                 input_provider: InputProvider | None = None, colors: str | None = None,
                 hocus_dir: str | os.PathLike | None = None, entry_points: bool = True, config: Config | None = None,
                 history: HistoryStore | None = None, error_reporter: ErrorReporter | None = None,
                 pager: Pager | None = None):
        super().__init__(config=config)
        self.output = output or StdStreams()
        self.error_reporter = error_reporter  # None: a cell's error text goes to output.write_err
        self.display_pub = display_publisher or TextDisplayPublisher(self.output)
        self.input_provider = input_provider or BuiltinInput()
        self.hocus_dir = Path(hocus_dir) if hocus_dir else default_hocus_dir()

        self.user_module = user_module or types.ModuleType("__main__", "Automatically created module for the hocus user namespace")
        self.user_ns = self.user_module.__dict__ if user_ns is None else user_ns
        if user_ns is not None and user_module is None:
            self.user_module.__dict__.update(user_ns)

        self.execution_count = 1
        # A kernel's subshells run cells in other threads at the same time (concurrent_cells.py).
        self._cell_numbers = CellNumbers()
        self._cell = CellScope()  # per thread: the cell running in it and its last value
        self._leases = {name: NameLease(name) for name in ("get_ipython", "input")}
        self._leases["getpass"] = NameLease("getpass", module="getpass")
        self.compiler = CellCompiler(top_level_await=self.autoawait)
        self.caches = CellCaches(self.user_ns)
        self.events = EventManager(report_error=self.write_err)
        self.display_formatter = DisplayFormatter(warn=self.write_err, parent=self)
        self.displayer = Displayer(self.display_formatter, self.display_pub)
        if colors is not None:  # an explicit argument; otherwise the config's value (or the default) stands
            self.colors = colors
        self._tracebacks: TracebackFormatter | None = None  # made for the first error shown (tracebacks)
        self.magics = MagicRegistry(self)
        self.magic_runner = MagicRunner(self, self.magics)
        self._configurables: dict[str, Any] = {"Shell": self, "PlainTextFormatter": self.display_formatter.plain}
        # the database opens on first use, so a Shell that stores no cell touches no file
        self.history = history if history is not None else HistoryStore(
            parent=self, hocus_dir=self.hocus_dir, warn=self.write_err)
        self.add_configurable(self.history)
        self.last_error: BaseException | None = None
        # The latest requests to a front end, wherever made; each cell's own are on its ExecutionResult.
        self.exit_requested = False
        self.exit_code: int | None = None
        self.next_input: str | None = None  # offered by set_next_input (%load)
        self.next_input_replace = False
        self.pager = pager  # None: long text is written to the output
        self._async = AsyncRunner()
        self._hook = TransformHook(self)
        self._hidden_names: set[str] = set()
        self.lineage = LineageTracker(lambda: self.user_ns, self.write_err, hook=HOOK,
                                      ignored=lambda name: name in self._hidden_names or is_cache_name(name))
        self._standard_fds: StandardFds | None = None  # see keep_standard_fds
        # Who runs this shell, for libraries that ask (the IPython bridge names its view by it):
        # "library" (Shell() from Python), "terminal" (the hocus command, embed()) or "kernel".
        self.front_end = "library"
        self.kernel: Any = None  # the kernel front end's view for libraries written for ipykernel
        # IPython's hooks into running a cell, honoured here: line-list transforms before and
        # after hocus's own input transforms, and ast.NodeTransformers applied to each cell.
        self.input_transformers_cleanup: list[Callable[[list[str]], list[str]]] = []
        self.input_transformers_post: list[Callable[[list[str]], list[str]]] = []
        self.ast_transformers: list[Any] = []

        register_builtin_magics(self.magics)
        if entry_points:
            self.magics.add_finder(lambda registry: register_entry_point_magics(registry, warn=self.write_err))
        self.init_user_ns()
        self.events.trigger("shell_initialized", self)

    @observe("colors")
    def _colors_changed(self, change: dict[str, Any]) -> None:
        if getattr(self, "_tracebacks", None) is not None:  # otherwise it is made with the new value
            self.tracebacks.set_colors(change["new"])

    @observe("autoawait")
    def _autoawait_changed(self, change: dict[str, Any]) -> None:
        if hasattr(self, "compiler"):
            self.compiler.top_level_await = change["new"]

    @observe("xmode")
    def _xmode_changed(self, change: dict[str, Any]) -> None:
        if getattr(self, "_tracebacks", None) is not None:
            self.tracebacks.set_mode(change["new"])

    @property
    def tracebacks(self) -> TracebackFormatter:
        """Formats errors for the user in the session's ``xmode`` and ``colors``.

        Made when first asked for (the first error shown), so that starting
        and running cells that fail in nothing imports the formatter.
        """
        if self._tracebacks is None:
            from shell.engine.tracebacks.formatter import TracebackFormatter

            self._tracebacks = TracebackFormatter(mode=self.xmode, colors=self.colors, cell_label=self.compiler.label,
                                                  hidden_file=self.compiler.is_machinery)
        return self._tracebacks

    @tracebacks.setter
    def tracebacks(self, formatter: TracebackFormatter) -> None:
        self._tracebacks = formatter

    @property
    def display_pub(self) -> DisplayPublisher:
        """Where results and ``display()`` output go; setting it (``%%capture``) redirects both."""
        return self._display_pub

    @display_pub.setter
    def display_pub(self, publisher: DisplayPublisher) -> None:
        self._display_pub = publisher
        displayer = getattr(self, "displayer", None)
        if displayer is not None:
            displayer.publisher = publisher

    @property
    def call_pdb(self) -> bool:
        """Whether exceptions start the post-mortem debugger (``%pdb``); the ``pdb`` setting."""
        return self.pdb

    @call_pdb.setter
    def call_pdb(self, value: bool) -> None:
        self.pdb = bool(value)

    def configurables(self) -> dict[str, Any]:
        """Configurable objects by class name, for ``%config`` and the config file."""
        self.completer  # made on first use, but %config should list it before the first Tab too
        return dict(self._configurables)

    def add_configurable(self, obj: Configurable) -> None:
        """Let ``%config`` see a front end's or an extension's configurable object."""
        self._configurables[type(obj).__name__] = obj

    # -- running cells -----------------------------------------------------------------
    def transform_cell(self, raw_cell: str) -> str:
        """The plain Python a cell becomes (magics, ``!``, ``?`` turned into hook calls)."""
        if self.input_transformers_cleanup:
            raw_cell = apply_line_transformers(self.input_transformers_cleanup, raw_cell)
        autocall = Autocall(self._is_callable, full=self.autocall == 2) if self.autocall else None
        source = _transform_cell(raw_cell, is_automagic=self._is_automagic, autocall=autocall)
        if self.input_transformers_post:
            source = apply_line_transformers(self.input_transformers_post, source)
        return source

    def is_complete(self, source: str) -> Completeness:
        """complete / incomplete (with the next line's indent) / invalid."""
        # asked by a prompt as the user types, never by a cell run: imported on the first question
        from shell.engine.transforms.completeness import is_complete

        return is_complete(source)

    def warm_up(self) -> None:
        """Do the first cell's one-time work now, so the first Enter does not pay for it.

        Python compiles its tokenizer's patterns, and the compiler and the
        formatters set themselves up, on first use: a few milliseconds that
        would land on the user's first cell. A front end calls this while it
        waits for keys. Nothing runs, nothing is stored, no event fires.
        """
        self.is_complete("pass")
        tree = prepare_module(self.compiler.parse(self.transform_cell("pass"), "<warm-up>"), HOOK)
        compile(tree, "<warm-up>", "exec", dont_inherit=True)  # not self.compiler: it remembers __future__ flags
        self.display_formatter.format(0)

    def run_cell(self, raw_cell: str, store_history: bool = True, silent: bool = False,
                 cell_id: str | None = None, *,
                 on_start: Callable[[int | None], None] | None = None) -> ExecutionResult:
        """Run one cell; report errors, never raise them (KeyboardInterrupt included).

        ``on_start(count)`` is called once the cell has its number (None: not
        stored), before anything of it runs: a kernel announces the cell
        (``execute_input``) there, since a number peeked before could be taken
        meanwhile by a cell another thread starts.
        """
        info = ExecutionInfo(raw_cell, store_history, silent, cell_id)
        result = ExecutionResult(info)
        self.last_execution_result = result  # from the start, as IPython: post_run_cell callbacks read it
        if silent:
            store_history = False
        count = self._cell_numbers.claim(self) if store_history else None  # its own, if cells overlap
        result.execution_count = count
        if on_start is not None:
            try:
                on_start(count)
            except BaseException:
                if count is not None:
                    self._cell_numbers.release(self, count)
                raise
        self.user_ns[HOOK] = self._hook
        self.events.trigger("pre_execute")
        if not silent:
            self.events.trigger("pre_run_cell", info)
        if count is not None:
            self.caches.store_input(count, raw_cell)
        # A cell run from inside a cell (%run x.ipynb, %%capture) must hand the outer one back.
        outer, self._cell.current_result = self._cell.current_result, result
        outer_count = self._cell.execution_count
        if count is not None:  # an unstored cell run inside a cell counts as that cell
            self._cell.execution_count = count
        # Library code in the cell (shell.display.display, the inline backend) finds this
        # shell's Displayer here: scoped to this cell and thread, not a global accessor.
        displayer_token = current_displayer.set(self.displayer)
        activate_bridge(self)  # IPython's API, if a library imports it, answers for this shell
        # get_ipython is a builtin while a cell runs, as in IPython: %run scripts and modules call it
        self._leases["get_ipython"].acquire(self.get_ipython)
        # Libraries take __IPYTHON__ to mean "IPython's API is importable here" (pandas, tqdm, pydantic):
        # true through the bridge, so it is set only where IPython is installed; never removed, as in IPython.
        if ipython_installed():
            builtins.__dict__["__IPYTHON__"] = True
        try:
            self._run(raw_cell, result, count, display=not silent)
            self.displayer.cell_finished()
        finally:
            current_displayer.reset(displayer_token)
            self._leases["get_ipython"].release()
            self._cell.current_result = outer
            self._cell.execution_count = outer_count
            if outer is not None:  # what a cell run inside a cell asks, its outer cell asks
                _pass_requests(result, outer)
            self.last_execution_result = result  # the outer cell's, once it ends, as in IPython
            if count is not None:
                self._cell_numbers.release(self, count)
            self.events.trigger("post_execute")
            if not silent:
                self.events.trigger("post_run_cell", result)
        return result

    def _run(self, raw_cell: str, result: ExecutionResult, count: int | None, display: bool) -> None:
        try:
            source = self.transform_cell(raw_cell)
            if count is not None:
                self.history.settle()  # the cells before this one are on disk: kill -9 costs at most this one
                self.history.store_cell(count, source, raw_cell)
            # Tracebacks quote the cell as typed when the transforms kept its lines in place.
            same_lines = source.count("\n") == raw_cell.count("\n")
            filename = self.compiler.new_filename(raw_cell if same_lines else source,
                                                  self.running_execution_count or self.execution_count,
                                                  machinery="%%" in raw_cell and _is_cell_magic(raw_cell))
            tree = self.compiler.parse(source, filename)
            if self.ast_transformers:
                tree = apply_ast_transformers(self.ast_transformers, tree, self.write_err)
            names = self.lineage.scan(tree) if display and self.hidden_state == "warn" else None
            # the ';' rule looks at the transformed code: `%sql SELECT 1;` shows its result, `x;` does not
            shown = self.ast_node_interactivity if display and not ends_with_semicolon(source, tree) else "none"
            tree = prepare_module(tree, HOOK, shown)
            codes = self.compiler.compile_cell(tree, filename)
        except (SyntaxError, ValueError, OverflowError, MemoryError) as err:
            result.error_before_exec = err
            self._report_syntax_error(err)
            return
        except KeyboardInterrupt as err:
            result.error_before_exec = err
            self.write_error(err, "KeyboardInterrupt\n")
            return
        # warnings about the hidden state it reads come before the cell's own output
        tracked = (self.lineage.start(names, raw_cell, cell_id=result.info.cell_id, execution_count=count)
                   if names is not None else None)
        try:
            with self._input_installed(), breakpoint_hook(self), self._standard_fds or contextlib.nullcontext():
                for code in codes:
                    self.run_code_object(code)
        except BaseException as err:  # noqa: BLE001 - the engine reports every user error
            result.error_in_exec = err
            self._report_exception(err)
        else:
            result.result = self._cell.last_value
        finally:
            self._cell.last_value = None
            if tracked is not None:
                self.lineage.finish(tracked, succeeded=result.error_in_exec is None)

    last_execution_result: ExecutionResult | None = None
    """The :class:`ExecutionResult` of the cell running now, or else of the last one run (IPython's name)."""

    @property
    def running_execution_count(self) -> int | None:
        """The number of the cell running in this thread (an unstored cell run inside it counts as it).

        None when this thread runs no stored cell. Not ``execution_count``,
        which is the shared counter: it can be another thread's cell's number.
        """
        return self._cell.execution_count

    @property
    def next_execution_count(self) -> int:
        """The number a cell starting now gets: ``execution_count``, unless cells in other threads hold it."""
        return self._cell_numbers.peek(self)

    @property
    def last_execution_succeeded(self) -> bool:
        """Whether the last cell ran without an error (True before any cell), as IPython's attribute."""
        return self.last_execution_result is None or self.last_execution_result.success

    def displayhook(self, value: Any) -> None:
        """Show and store the value of a cell's last expression (``Out[N]``, ``_``)."""
        if isinstance(value, ExitCommand):
            value()
            return
        if isinstance(value, Macro):  # typing a macro's name runs it (magics/macro.py)
            self.run_cell(value.value, store_history=False)
            return
        if value is None:
            return
        self._cell.last_value = value
        result = self._cell.current_result
        count = result.execution_count if result is not None else None
        shown = self.display_formatter.show_itself(value)  # _ipython_display_, before caching as in IPython
        self.caches.store_output(count, value)
        if shown:
            return
        data, metadata = self.display_formatter.format(value)
        if count:
            self.history.store_output(count, data.get("text/plain"))
        self.display_pub.publish_result(count, data, metadata)

    def keep_standard_fds(self) -> None:
        """From now on, reopen file descriptor 0, 1 or 2 when a cell closes it (with a warning).

        For front ends that own the process's descriptors (the terminal,
        the kernel), called once their streams are set up; a Shell used as
        a library leaves the program's descriptors alone.
        """
        if self._standard_fds is None:
            self._standard_fds = StandardFds(warn=self.write_err)

    def _input_installed(self) -> contextlib.AbstractContextManager[None]:
        """Route ``input()`` to the front end's InputProvider while a cell runs."""
        provider = self.input_provider
        if isinstance(provider, BuiltinInput):
            return contextlib.nullcontext()

        @contextlib.contextmanager
        def installed() -> Iterator[None]:
            def ask(prompt: object = "") -> str:
                return provider.input(str(prompt))

            def ask_password(prompt: str = "Password: ", stream: Any = None, **options: Any) -> str:
                return provider.input(prompt, password=True)

            self._leases["input"].acquire(ask)
            self._leases["getpass"].acquire(ask_password)
            try:
                yield
            finally:
                self._leases["input"].release()
                self._leases["getpass"].release()

        return installed()

    def run_code_object(self, code: Any, namespace: dict[str, Any] | None = None) -> Any:
        """Execute compiled code in ``namespace`` (default: the user's); awaits coroutine code."""
        namespace = self.user_ns if namespace is None else namespace
        if is_coroutine_code(code):
            return self._async.run(eval(code, namespace))
        return exec(code, namespace)

    def use_event_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Await cells on ``loop``, an event loop running in another thread (``embed_async``)."""
        self._async.use_running_loop(loop)

    # -- what input transforms ask ----------------------------------------------------------
    def _is_callable(self, name: str, subscript: bool = False) -> bool:
        """Whether ``name`` names a callable (one that is not also subscriptable, for ``f [1]``): autocall."""
        try:
            obj = self.find_object(name)
        except NameError:
            return False
        return callable(obj) and not (subscript and hasattr(obj, "__getitem__"))

    def _is_automagic(self, name: str) -> bool:
        # Checked last, the registry may look for magics it has not seen (saved aliases, entry
        # points) once per session, so `gst` saved with `%alias --persist` works without `%` at once.
        return (self.automagic and name not in self.user_ns and not hasattr(builtins, name)
                and self.magics.has("line", name, discover=True))

    # -- conveniences from IPython's API ------------------------------------------------------
    def ex(self, code: str) -> None:
        """Execute Python code in the user namespace."""
        exec(code, self.user_ns)

    def ev(self, expr: str) -> Any:
        """Evaluate a Python expression in the user namespace."""
        return eval(expr, self.user_ns)

    def display(self, *objs: Any, **kwargs: Any) -> object:
        """``display()`` bound to this shell."""
        return self.displayer.display(*objs, **kwargs)

    def write(self, text: str) -> None:
        self.output.write(text)

    def write_err(self, text: str) -> None:
        self.output.write_err(text)

    def write_error(self, error: BaseException, text: str) -> None:
        """Report an error: to the front end's :class:`~shell.engine.io.ErrorReporter` when it gave
        one (the kernel sends one ``error`` message), or else as text to ``write_err``."""
        if self.error_reporter is not None:
            self.error_reporter.write_error(error, text)
        else:
            self.output.write_err(text)

    def page(self, text: str) -> None:
        """Show long text: through the front end's pager when it has one."""
        if self.pager is not None:
            self.pager(text)
        else:
            self.write(text if text.endswith("\n") else text + "\n")

    def set_next_input(self, text: str, replace: bool = False) -> None:
        """Offer ``text`` as the next input (``%load``).

        The cell's :class:`ExecutionResult` carries it to the front end: the
        terminal pre-fills its next prompt, the kernel sends a
        ``set_next_input`` payload (``replace``: in place of the current cell's text).
        """
        self.next_input = text
        self.next_input_replace = replace
        if self._cell.current_result is not None:
            self._cell.current_result.next_input, self._cell.current_result.next_input_replace = text, replace

    def ask_exit(self, code: int | None = None) -> None:
        """End the session after this cell (``exit``, ``quit``, ``exit(3)``); the cell's result says so."""
        self.exit_requested = True
        self.exit_code = code
        if self._cell.current_result is not None:
            self._cell.current_result.exit_requested, self._cell.current_result.exit_code = True, code

    # -- history access ------------------------------------------------------------------
    @property
    def In(self) -> list[str]:
        return self.caches.In

    @property
    def Out(self) -> dict[int, Any]:
        return self.caches.Out

    @property
    def user_global_ns(self) -> dict[str, Any]:
        return self.user_ns


def _pass_requests(inner: ExecutionResult, outer: ExecutionResult) -> None:
    if inner.next_input is not None:
        outer.next_input, outer.next_input_replace = inner.next_input, inner.next_input_replace
    if inner.exit_requested:
        outer.exit_requested, outer.exit_code = True, inner.exit_code

