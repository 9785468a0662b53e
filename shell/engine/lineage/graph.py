"""Where every name came from: :class:`Lineage`, the session's record of cells and the names they bound.

Usage::

    lineage = Lineage()
    lineage.record(CellRun("c1", "cell [1]", 1, "a = f()"), scan_cell(ast.parse("a = f()")), {"a": id(a1)})
    lineage.record(CellRun("c2", "cell [2]", 2, "b = a + 1"), scan_cell(ast.parse("b = a + 1")), {"b": id(b)})
    lineage.record(CellRun("c1", "cell [3]", 3, "a = f()"), scan_cell(ast.parse("a = f()")), {"a": id(a2)})
    lineage.problem("b", namespace)     # Problem(kind='stale', ...): b was computed from the old a

Each binding points to the cell version that made it and to the versions of
the names that cell read. A name read by a cell has a problem when

1. ``deleted``: the cell that made it has been deleted (the front end said so);
2. ``edited``: the cell's current code no longer binds it (edited and re-run);
3. ``stale``: it was computed from a name that the cell which made *that* name
   has re-bound since (re-run, or edited and re-run), or from a stale name.

Only a re-run of the cell that made a dependency makes its dependents stale: a
*different* cell re-binding the name (``df = df.dropna()`` further down the
notebook) is what a notebook run top to bottom does, and the kernel does not
know where that cell sits in the notebook. A name a cell re-binds from its
own old value (``x = x + 1``) does not depend on itself. A cell that binds a
name to the very object it held (a module imported again, ``a = 1`` run again)
gives it no new value, so nothing computed from it goes stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from shell.engine.lineage.names import CellNames


@dataclass(frozen=True)
class CellRun:
    """One run of a cell: ``key`` is its identity (the front end's cell id), ``label`` how to name it."""

    key: str
    label: str
    execution_count: int | None
    code: str


class Dep(NamedTuple):
    """The binding of a name that a cell run read: its version and the run that made it."""

    version: int
    run: CellRun


@dataclass
class Binding:
    """A name as a cell run bound it, with the binding of each name that run read."""

    name: str
    run: CellRun
    version: int  # of the value: a re-binding to the same object keeps it
    deps: dict[str, Dep] = field(default_factory=dict)
    value_id: int = 0  # id() of the object bound, while the name holds it


@dataclass
class CellState:
    """A cell as last run: its code, what that code binds, and whether the front end deleted it."""

    run: CellRun
    binds: frozenset[str]
    version: int
    deleted: bool = False


@dataclass(frozen=True)
class Problem:
    """Why reading ``name`` is hidden state, and what to run to fix it (one line: :meth:`message`)."""

    name: str
    kind: str  # "deleted" | "edited" | "stale"
    made_by: CellRun
    via: str | None = None  # stale: the name it was computed from
    via_stale: bool = False  # stale: that name is itself stale (rather than re-bound)
    rebound_by: CellRun | None = None

    def message(self) -> str:
        """The warning a cell that reads the name gets."""
        return "hidden state: " + self.describe()

    def describe(self) -> str:
        """What is wrong and what to run to fix it (``%stale`` lists these)."""
        name, cell = self.name, self.made_by.label
        if self.kind == "deleted":
            return (f"{name!r} was made by {cell}, which has been deleted; "
                    f"define {name!r} in a cell that exists, or run `del {name}`")
        if self.kind == "edited":
            return (f"{name!r} was made by {cell}, whose code no longer binds it; "
                    f"bind {name!r} in a cell again, or run `del {name}`")
        if self.via_stale:
            why = f"from {self.via!r}, which is stale itself"
        else:
            assert self.rebound_by is not None
            why = f"from {self.via!r}, which {self.rebound_by.label} has re-bound since"
        return (f"{name!r} is stale: {cell} computed it {why}; "
                f"run `%rerun --stale` (or re-run {cell})")


class Lineage:
    """The bindings of the session's names and the cells that made them (see the module docstring)."""

    def __init__(self) -> None:
        self.bindings: dict[str, Binding] = {}
        self.cells: dict[str, CellState] = {}
        self._newest: dict[tuple[str, str], int] = {}  # (name, cell key) -> the latest version that cell bound
        self._rebinder: dict[tuple[str, str], CellRun] = {}  # (name, cell key) -> the run that bound it last
        self._version = 0

    def clear(self) -> None:
        """Forget everything (``%reset``); versions go on counting."""
        self.bindings.clear()
        self.cells.clear()
        self._newest.clear()
        self._rebinder.clear()

    def cells_deleted(self, keys: Iterable[str]) -> None:
        """The front end deleted these cells (JupyterLab's ``deletedCells``); unknown keys are ignored."""
        for key in keys:
            state = self.cells.get(key)
            if state is not None:
                state.deleted = True

    def record(self, run: CellRun, names: CellNames, bound: Mapping[str, int]) -> None:
        """After ``run``: ``bound`` maps the names it really bound (of ``names.binds``) to the ``id()`` of
        their values now; the names in ``names.deleted`` went."""
        self._version += 1
        version = self._version
        self.cells[run.key] = CellState(run, frozenset(names.binds), version)
        for name, value_id in bound.items():
            deps = self._deps(names.computed_from.get(name, names.reads), names.binds)
            previous = self.bindings.get(name)
            # The old object is still bound while a new one is made, so an equal id is the same object.
            if previous is not None and previous.value_id == value_id:
                self.bindings[name] = Binding(name, run, previous.version, deps, value_id)
                continue
            self.bindings[name] = Binding(name, run, version, deps, value_id)
            self._newest[name, run.key] = version
            self._rebinder[name, run.key] = run
        for name in names.deleted:
            self.bindings.pop(name, None)

    def _deps(self, sources: Iterable[str], cell_binds: set[str]) -> dict[str, Dep]:
        """The bindings a value computed from ``sources`` read; a name its own cell binds is left out
        (``x = x + 1`` run again and again must not make ``x`` stale)."""
        return {name: Dep(binding.version, binding.run) for name in sources
                if name not in cell_binds and (binding := self.bindings.get(name)) is not None}

    # -- questions -------------------------------------------------------------------------
    def problem(self, name: str, namespace: Mapping[str, Any], *, running: str | None = None,
                running_binds: frozenset[str] | set[str] = frozenset()) -> Problem | None:
        """What is wrong with reading ``name`` now, or None.

        ``running`` is the key of the cell about to run and ``running_binds``
        what its (maybe edited) code binds: a name it made before and no
        longer binds is ``edited`` already.
        """
        binding = self.bindings.get(name)
        if binding is None or name not in namespace:
            return None
        if id(namespace[name]) != binding.value_id:
            return None  # re-bound where no cell showed it (exec, %run -i, a library): its origin is unknown
        key = binding.run.key
        state = self.cells.get(key)
        if state is not None and state.deleted:
            return Problem(name, "deleted", binding.run)
        binds = running_binds if key == running else (state.binds if state is not None else frozenset())
        if name not in binds:
            return Problem(name, "edited", binding.run)
        return self._stale(binding, {})

    def _stale(self, binding: Binding, seen: dict[str, Problem | None]) -> Problem | None:
        if binding.name in seen:
            return seen[binding.name]
        seen[binding.name] = None
        found: Problem | None = None
        for dep, (version, made_by) in sorted(binding.deps.items()):
            cell = made_by.key
            if self._newest.get((dep, cell), version) > version:
                found = Problem(binding.name, "stale", binding.run, via=dep, rebound_by=self._rebinder[dep, cell])
                break
            current = self.bindings.get(dep)
            if current is not None and current.version == version and self._stale(current, seen) is not None:
                found = Problem(binding.name, "stale", binding.run, via=dep, via_stale=True)
                break
        seen[binding.name] = found
        return found

    def check(self, names: CellNames, run_key: str | None, namespace: Mapping[str, Any]) -> list[Problem]:
        """The problems of the names a cell about to run reads (see :meth:`problem`), by name."""
        found = []
        for name in sorted(names.reads | names.late_reads):
            problem = self.problem(name, namespace, running=run_key, running_binds=names.binds)
            if problem is not None:
                found.append(problem)
        return found

    def problems(self, namespace: Mapping[str, Any]) -> list[Problem]:
        """Every stale or orphaned name now, oldest binding first (``%stale``)."""
        found = []
        for binding in sorted(self.bindings.values(), key=lambda b: (b.version, b.name)):
            problem = self.problem(binding.name, namespace)
            if problem is not None:
                found.append(problem)
        return found

    def stale_cells(self, namespace: Mapping[str, Any]) -> list[CellRun]:
        """The cells to re-run, in dependency order, so that no name is stale (``%rerun --stale``).

        A binding's dependencies are older than it, so the order the cells
        last ran in is a dependency order. Deleted cells are not offered.
        """
        cells: dict[str, CellState] = {}
        for problem in self.problems(namespace):
            state = self.cells.get(problem.made_by.key)
            if problem.kind == "stale" and state is not None and not state.deleted:
                cells[state.run.key] = state
        return [state.run for state in sorted(cells.values(), key=lambda state: state.version)]

    def describe(self, name: str, namespace: Mapping[str, Any]) -> list[str]:
        """A name's lineage, one line per binding it came from, the name itself first (``%deps``)."""
        lines: list[str] = []
        seen: set[str] = set()

        def walk(binding: Binding, depth: int) -> None:
            problem = self.problem(binding.name, namespace)
            note = f"  [{problem.kind}]" if problem is not None else ""
            lines.append(f"{'  ' * depth}{binding.name}  <- {binding.run.label}: {_first_line(binding.run.code)}{note}")
            if binding.name in seen:
                return
            seen.add(binding.name)
            for dep, (version, made_by) in sorted(binding.deps.items()):
                current = self.bindings.get(dep)
                if current is not None and current.version == version:
                    walk(current, depth + 1)
                else:
                    now = f"now from {current.run.label}" if current is not None else "deleted since"
                    lines.append(f"{'  ' * (depth + 1)}{dep}  <- {made_by.label}: {_first_line(made_by.code)}"
                                 f"  [an older value; {now}]")

        binding = self.bindings.get(name)
        if binding is None:
            return []
        walk(binding, 0)
        return lines


def _first_line(code: str) -> str:
    lines = code.strip().splitlines() or [""]
    return lines[0] + (" ..." if len(lines) > 1 else "")
