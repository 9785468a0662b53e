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

    # -- output ----------------------------------------------------------------------------
    def write(self, text: str) -> None:
        """Write text for the user."""

    def write_err(self, text: str) -> None:
        """Write error text for the user."""

    def display(self, *objs: Any, **kwargs: Any) -> Any:
        """Show objects with their richest representation."""

    def page(self, text: str) -> None:
        """Show long text, through a pager where the front end has one."""

    display_pub: Any
    """The front end's DisplayPublisher (``%%capture`` swaps it)."""

    display_formatter: Any
    """Turns objects into MIME bundles; ``display_formatter.plain`` is the text/plain printer."""

    # -- errors and debugging --------------------------------------------------------------------
    last_error: BaseException | None
    """The last exception a cell raised (``%tb``, ``%debug``)."""

    call_pdb: bool
    """Start the post-mortem debugger automatically after an exception (``%pdb``)."""

    tracebacks: Any
    """The traceback formatter: ``.mode`` (``%xmode``), ``.format(exc)``."""

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

    def inspect_object(self, name: str, detail: int = 0) -> str:
        """The text ``name?`` (detail 0) or ``name??`` (detail 1) shows."""

    def configurables(self) -> dict[str, Any]:
        """Configurable objects by class name (``%config``)."""

    hocus_dir: Any
    """The user data folder (``$HOCUS_DIR``)."""

    input_provider: Any
    """How ``input()`` is answered."""

    In: list[str]
    Out: dict[int, Any]
