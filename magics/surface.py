"""The surface of the shell that magics may use: :class:`ShellSurface`.

Every magic — built-in or third-party — receives the shell it runs in
(``self.shell`` in a :class:`~magics.base.Magics` subclass) and uses it only
through the attributes and methods declared here. hocus's engine implements
this Protocol; a test can implement a fake. If a magic needs more, widen this
surface on purpose, with a docstring.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol, runtime_checkable


@runtime_checkable
class ShellSurface(Protocol):
    # -- the namespace -------------------------------------------------------------------
    user_ns: dict[str, Any]
    """The user's namespace: cells run with it as their globals."""

    def user_variables(self) -> dict[str, Any]:
        """The user's own names, without what the shell itself put there (``%who``)."""

    def push(self, variables: dict[str, Any]) -> None:
        """Put variables into the namespace."""

    def reset(self, *, keep_history: bool = True) -> None:
        """Empty the namespace (``%reset``)."""

    # -- running code ----------------------------------------------------------------------
    execution_count: int
    """The number the next stored cell gets."""

    def run_cell(self, raw_cell: str, store_history: bool = True, silent: bool = False) -> Any:
        """Run a cell as if typed; returns an ExecutionResult, never raises."""

    def transform_cell(self, raw_cell: str) -> str:
        """The plain Python a cell becomes."""

    compiler: Any
    """``compiler.new_filename(source, count)``, ``parse``, ``compile``: compile code as cells are."""

    def run_code_object(self, code: Any, namespace: dict[str, Any] | None = None) -> Any:
        """Execute compiled code (coroutine code included) in a namespace."""

    def system(self, command: str) -> int:
        """Run a shell command, streaming its output; returns the exit status."""

    def getoutput(self, command: str) -> list[str]:
        """Run a shell command and return its output lines."""

    def run_process(self, args: Any, *, shell: bool = False, input: str | None = None,
                    capture_stdout: bool = False, capture_stderr: bool = False) -> Any:
        """Run a program (argument list, or a command line with ``shell=True``) as ``!`` does.

        ``input`` goes to its stdin; output that is not captured streams live;
        Ctrl-C stops its process group and raises KeyboardInterrupt. Returns a
        ``subprocess.CompletedProcess`` (``returncode``, captured ``stdout``/
        ``stderr`` as text); raises OSError when the program cannot start.
        """

    def start_process(self, args: Any, *, shell: bool = False, input: str | None = None,
                      capture_stdout: bool = False, capture_stderr: bool = False) -> Any:
        """Start a program in the background; returns its ``subprocess.Popen``.

        Output that is not captured is shown as it comes; captured output is
        left readable as ``proc.stdout``/``proc.stderr`` (text).
        """

    def stop_processes(self, procs: list) -> None:
        """End programs from :meth:`start_process` and their process groups, gently first
        (SIGINT, then SIGTERM, then SIGKILL, within a second)."""

    # -- output ----------------------------------------------------------------------------
    def write(self, text: str) -> None:
        """Write text for the user."""

    def write_err(self, text: str) -> None:
        """Write error text for the user."""

    # -- code written for IPython ---------------------------------------------------------
    def get_ipython(self) -> Any:
        """The shell as IPython code expects it: IPython's shell API when IPython is installed
        (``%load_ext`` hands it to ``load_ipython_extension``), else the shell itself."""

    def loaded_extensions(self) -> set[str]:
        """Names of the extensions ``%load_ext`` has loaded in this session."""

    def display(self, *objs: Any, **kwargs: Any) -> Any:
        """Show objects with their richest representation."""

    def page(self, text: str) -> None:
        """Show long text, through a pager where the front end has one."""

    display_pub: Any
    """The front end's DisplayPublisher: results and ``display()`` both go to it (``%%capture`` swaps it)."""

    output: Any
    """The Output seam (``write``/``write_err``) the engine's own text goes to (``%%capture`` swaps it)."""

    colors: str
    """The colour scheme: ``NoColor``, ``Neutral``, ``Linux`` or ``LightBG`` (``%pycat`` highlights by it)."""

    def set_next_input(self, text: str, replace: bool = False) -> None:
        """Offer ``text`` as the next input (``%load``); ``replace``: instead of the current cell's text."""

    display_formatter: Any
    """Turns objects into MIME bundles; ``display_formatter.plain`` is the text/plain printer."""

    # -- errors and debugging --------------------------------------------------------------------
    last_error: BaseException | None
    """The last exception a cell raised (``%tb``, ``%debug``)."""

    call_pdb: bool
    """Start the post-mortem debugger automatically after an exception (``%pdb``)."""

    tracebacks: Any
    """The traceback formatter: ``.mode`` (``%xmode``), ``.format(exc)``."""

    xmode: str
    """The traceback mode setting (Plain, Context, Verbose, Minimal); setting it changes ``tracebacks.mode``."""

    def showtraceback(self, exc: BaseException | None = None) -> None:
        """Print an exception's traceback as cells do."""

    def debugger(self, tb: Any) -> None:
        """Post-mortem debugging on a traceback."""

    # -- magics, events, configuration --------------------------------------------------------
    magics: Any
    """The MagicRegistry: ``find``, ``names``, ``register_*``, ``alias``."""

    automagic: bool
    """Whether line magics run without ``%`` when no variable shadows them."""

    events: Any
    """The EventManager: ``register(name, callback)``."""

    def register_magics(self, *magics: Any) -> None:
        """Register Magics classes or instances (what extensions call, as in IPython)."""

    def register_magic_function(self, func: Callable, magic_kind: str = "line", magic_name: str | None = None) -> None:
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

    def configurables(self) -> dict[str, Any]:
        """Configurable objects by class name (``%config``)."""

    def add_configurable(self, obj: Any) -> None:
        """Let ``%config`` see one more configurable object (``%matplotlib inline`` adds InlineBackend)."""

    hocus_dir: Any
    """The user data folder (``$HOCUS_DIR``)."""

    input_provider: Any
    """How ``input()`` is answered."""

    In: list[str]
    Out: dict[int, Any]

    history: Any
    """The HistoryStore: every stored cell of this and earlier sessions (``%history``, ``%rerun``, ``%macro``).

    ``get_range_by_str("4-6 ~1/", raw=True, output=False)``, ``get_range(session, start, stop)``,
    ``search(glob, n=None, unique=False)``, ``tail(n, include_latest=True)`` give
    ``(session, number, source)`` tuples (``(session, number, (source, output))``
    with ``output=True``), oldest first; ``last(n)`` gives raw sources newest first;
    ``session_number`` is this session's id.
    """
