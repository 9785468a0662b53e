"""The engine's side of hidden-state lineage: :class:`LineageTracker`, called around each cell.

Usage (what :class:`~shell.engine.shell.Shell` does for a cell, when
``Shell.hidden_state`` is ``"warn"``)::

    names = tracker.scan(tree)                                             # before it is prepared to run
    token = tracker.start(names, raw_cell, cell_id=..., execution_count=3) # warns before the cell runs
    ...                                                                     # the cell runs
    tracker.finish(token, succeeded=True)                                   # records what it bound

A cell run from inside another one (``%%capture``, ``%run notebook.ipynb``)
counts as part of that outer cell, unless it names a cell of its own
(``%rerun --stale`` re-runs cells under their own ids). A cell is known by the
front end's cell id (JupyterLab's ``cellId``); without one (the terminal) by its
code, so typing the same code again is running that cell again, and it is
called ``In [N]``.
"""

from __future__ import annotations

import ast
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from shell.engine.lineage.graph import CellRun, Lineage
from shell.engine.lineage.names import CellNames, scan_cell

_MISSING = object()


@dataclass
class _Running:
    """A cell between :meth:`LineageTracker.start` and :meth:`LineageTracker.finish`."""

    run: CellRun | None  # None: part of the outer cell
    names: CellNames
    before: dict[str, int]  # id() of each name it binds, before it ran
    execution_count: int | None


def _flush_stderr() -> None:
    """Send the warnings on now: a front end that batches stdout and stderr apart (the kernel, whose
    streams are ``sys.stdout``/``sys.stderr``) would otherwise send what the cell prints first."""
    try:
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # a stream the user put there, or closed
        pass


CODE_KEY = "code:"
"""How a cell without a front-end id (the terminal's) is known: this, then its code. Given back as a
``cell_id`` (``%rerun --stale``), it names that cell again."""


def cell_label(cell_id: str | None, execution_count: int | None) -> str:
    """How a warning names a cell: ``cell [3] (id 1f0e2a9c)`` in a notebook, ``In [3]`` in the terminal."""
    number = f"[{execution_count}]" if execution_count is not None else "[ ]"
    if cell_id is None or cell_id.startswith(CODE_KEY):
        return f"In {number}"
    return f"cell {number} (id {cell_id[:8]})"


class _RunningCells(threading.local):
    """The cells running in this thread, outermost first: a kernel subshell's cell is not part of the main one."""

    def __init__(self) -> None:
        self.cells: list[_Running] = []


class LineageTracker:
    """Scans each cell, warns about the hidden state it reads, and records what it bound."""

    def __init__(self, namespace: Callable[[], dict[str, Any]], warn: Callable[[str], None],
                 ignored: Callable[[str], bool], hook: str):
        self.lineage = Lineage()
        self._namespace = namespace
        self._warn = warn
        self._ignored = ignored
        self._hook = hook
        self._threads = _RunningCells()

    def clear(self) -> None:
        """Forget every cell and binding (``%reset``)."""
        self.lineage.clear()

    def cells_deleted(self, cell_ids: Iterable[str]) -> None:
        """The front end deleted these cells since the last request."""
        self.lineage.cells_deleted(cell_ids)

    def scan(self, tree: ast.Module) -> CellNames:
        """What a cell binds and reads, less the names the shell itself made (``_``, ``In``, ``Out``, ...).

        Called before the cell is prepared to run (the tree is not changed).
        """
        names = scan_cell(tree, self._hook)
        ignored = self._ignored
        for group in (names.binds, names.deleted, names.reads, names.late_reads):
            group.difference_update([name for name in group if ignored(name)])
        return names

    def start(self, names: CellNames, raw_cell: str, *, cell_id: str | None,
              execution_count: int | None) -> _Running:
        """Before a cell runs: write one warning line per hidden-state name it reads."""
        namespace = self._namespace()
        nested = bool(self._threads.cells) and cell_id is None
        if execution_count is None and self._threads.cells:  # %rerun --stale's cells: the number of the %rerun
            execution_count = self._threads.cells[-1].execution_count
        run = None if nested else CellRun(cell_id if cell_id is not None else CODE_KEY + raw_cell.strip(),
                                          cell_label(cell_id, execution_count), execution_count, raw_cell)
        key = run.key if run is not None else self._outer_key()
        problems = self.lineage.check(names, key, namespace)
        if problems:
            for problem in problems:
                self._warn(problem.message() + "\n")
            _flush_stderr()
        before = {name: id(namespace.get(name, _MISSING)) for name in names.binds}
        running = _Running(run, names, before, execution_count)
        self._threads.cells.append(running)
        return running

    def finish(self, running: _Running, *, succeeded: bool) -> None:
        """Record what the cell bound: every name it binds that exists, or after an error those that changed."""
        while self._threads.cells and self._threads.cells.pop() is not running:
            pass  # a cell that never finished (an error inside the machinery): drop it with this one
        names = running.names
        namespace = self._namespace()
        bound = {name for name in names.binds if name in namespace
                 and (succeeded or id(namespace[name]) != running.before[name])}
        if running.run is None:
            if self._threads.cells:
                outer = self._threads.cells[-1]
                names.binds = bound
                outer.names.merge(names)
                outer.before.update({name: id(_MISSING) for name in bound if name not in outer.before})
            return
        self.lineage.record(running.run, names, {name: id(namespace[name]) for name in bound})

    def _outer_key(self) -> str | None:
        for running in reversed(self._threads.cells):
            if running.run is not None:
                return running.run.key
        return None
