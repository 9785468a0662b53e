"""Hidden-state lineage: which cell made each name, and which names a cell reads (docs/hidden-state.md).

- :mod:`.names`: what a cell binds and reads, from its AST;
- :mod:`.graph`: the session's record of bindings, and the three problems
  (a deleted cell's name, an edited cell's name, a stale name);
- :mod:`.tracker`: the engine's calls around each cell (warn before, record after);
- :mod:`.verbs`: what magics and front ends ask of it (``%stale``, ``%deps``, ``deletedCells``).
"""

from shell.engine.lineage.graph import CellRun, Lineage, Problem
from shell.engine.lineage.names import CellNames, scan_cell
from shell.engine.lineage.tracker import LineageTracker, cell_label

__all__ = ["CellNames", "CellRun", "Lineage", "LineageTracker", "Problem", "cell_label", "scan_cell"]
