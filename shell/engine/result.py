"""What the engine reports about one cell: :class:`ExecutionInfo` before, :class:`ExecutionResult` after."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExecutionInfo:
    """A cell about to run, as given to ``pre_run_cell`` callbacks."""

    raw_cell: str
    store_history: bool = True
    silent: bool = False
    cell_id: str | None = None


@dataclass
class ExecutionResult:
    """The outcome of ``Shell.run_cell``.

    ``error_before_exec`` is set when the cell never ran (a syntax error, an
    input transform failure); ``error_in_exec`` when it raised while running.

    The rest is what the cell asks of its front end, which reads it here
    instead of polling the shell: ``next_input`` (``%load``, ``%recall``:
    text to offer as the next cell, in place of this one when
    ``next_input_replace``), and ``exit_requested`` with ``exit_code``
    (``exit``, ``exit(3)``: end the session after this cell).
    """

    info: ExecutionInfo
    execution_count: int | None = None
    result: Any = None
    error_before_exec: BaseException | None = None
    error_in_exec: BaseException | None = None
    next_input: str | None = None
    next_input_replace: bool = False
    exit_requested: bool = False
    exit_code: int | None = None

    @property
    def success(self) -> bool:
        return self.error_before_exec is None and self.error_in_exec is None

    def raise_error(self) -> None:
        """Re-raise the cell's error, if it had one."""
        if self.error_before_exec is not None:
            raise self.error_before_exec
        if self.error_in_exec is not None:
            raise self.error_in_exec

    def __repr__(self) -> str:
        return (f"<ExecutionResult execution_count={self.execution_count} "
                f"success={self.success} result={self.result!r}>")
