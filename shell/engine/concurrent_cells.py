"""Cells that run at the same time, in threads of one :class:`~shell.engine.shell.Shell`.

A terminal runs one cell at a time. A kernel with subshells (JEP 91) runs
a cell in its main thread while a subshell's thread runs another, against
the same namespace, history and counter. Three things keep them apart:

- :class:`CellNumbers` gives every running cell a number of its own, so
  ``In[N]``, ``Out[N]``, the history row N, ``execute_input`` and the
  reply are one cell's. As in ipykernel 7 there is one counter for the
  whole kernel: a cell started while cell 5 runs is cell 6, and the next
  one after both is 7.
- :class:`CellScope` holds, per thread, the cell running now, its number
  and its last value: what ``set_next_input``, ``exit()``, the displayhook
  and the magics that mean "this cell" (``%save``, ``%rerun``) act on.
- :class:`NameLease` puts a name in a namespace while any cell runs
  (``get_ipython`` in builtins, ``input`` and ``getpass.getpass``), and puts
  back what was there only when the last running cell ends.

For cells run one after another nothing changes: the first free number is
``execution_count``, one scope is used, a leased name comes and goes per cell.

::

    numbers = CellNumbers()
    count = numbers.claim(shell)        # 5, or 6 if cell 5 is running in another thread
    ...                                 # run the cell as In[count]
    numbers.release(shell, count)       # shell.execution_count: past every number handed out
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from shell.engine.result import ExecutionResult


class Counted(Protocol):
    """What has an execution counter: the number the next cell gets (a Shell)."""

    execution_count: int


class CellNumbers:
    """Hands each running cell an execution count no other running cell has."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[int] = set()

    def claim(self, counted: Counted) -> int:
        """The number for a cell starting now: ``execution_count``, or past the ones running cells hold."""
        with self._lock:
            count = self._first_free(counted)
            self._running.add(count)
            return count

    def peek(self, counted: Counted) -> int:
        """The number :meth:`claim` would give now (for a front end that announces a cell before running it)."""
        with self._lock:
            return self._first_free(counted)

    def _first_free(self, counted: Counted) -> int:
        count = counted.execution_count
        while count in self._running:
            count += 1
        return count

    def release(self, counted: Counted, count: int) -> None:
        """Cell ``count`` ended: the counter moves past it (never back, if a later cell ended first)."""
        with self._lock:
            self._running.discard(count)
            counted.execution_count = max(counted.execution_count, count + 1)


class CellScope(threading.local):
    """Per thread: the cell running in it (``current_result``), its number and its last expression's value.

    ``execution_count`` is the number of the stored cell running in this
    thread; a cell run inside it without being stored (``%rerun``, a macro)
    counts as it. Magics that mean "the cell running me" (``%save`` with no
    range, ``%history -l``, ``%rerun``) ask for this, never for the shared
    counter: while cell 5 runs in the main thread, a subshell's cell is 6
    but ``Shell.execution_count`` still says 5.
    """

    current_result: ExecutionResult | None = None
    execution_count: int | None = None
    last_value: Any = None


class NameLease:
    """``namespace[name]`` set while at least one cell runs; what was there before comes back after the last.

    A cell saving and restoring the name on its own would, when cells
    overlap, take it away from a cell still running (or leave its own behind
    for good). The first cell's value stays while later ones run.
    """

    _ABSENT = object()

    def __init__(self, name: str, *, module: str = "builtins"):
        self.name = name
        self._module = module  # imported on the first acquire (getpass is not needed at start-up)
        self._namespace: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._holders = 0
        self._saved: Any = self._ABSENT

    def acquire(self, value: Any) -> None:
        with self._lock:
            if self._holders == 0:
                self._namespace = vars(importlib.import_module(self._module))
                self._saved = self._namespace.get(self.name, self._ABSENT)
                self._namespace[self.name] = value
            self._holders += 1

    def previous(self) -> Any:
        """What the name held before the first holder (None when it was absent, or nobody holds it)."""
        saved = self._saved
        return None if saved is self._ABSENT else saved

    def release(self) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders:
                return
            if self._saved is self._ABSENT:
                self._namespace.pop(self.name, None)
            else:
                self._namespace[self.name] = self._saved
            self._saved = self._ABSENT
