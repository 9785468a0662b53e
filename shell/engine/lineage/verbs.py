"""The hidden-state verbs of :class:`~magics.surface.ShellSurface`, over the shell's :class:`LineageTracker`.

:class:`HiddenStateVerbs` is mixed into the Shell: ``%stale``, ``%deps`` and
``%rerun --stale`` ask through these, and a front end tells the shell which
cells were deleted with :meth:`HiddenStateVerbs.cells_deleted`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from magics.surface import StaleCell
    from shell.engine.lineage.tracker import LineageTracker


class HiddenStateVerbs:
    """What a magic or a front end may ask of the session's lineage (docs/hidden-state.md)."""

    lineage: LineageTracker
    user_ns: dict[str, Any]

    def cells_deleted(self, cell_ids: list[str]) -> None:
        """The front end deleted these cells (JupyterLab's ``deletedCells``): names they made are orphans now."""
        self.lineage.cells_deleted(cell_ids)

    def hidden_state_problems(self) -> list[str]:
        """One line per stale or orphaned name, oldest binding first."""
        return [problem.describe() for problem in self.lineage.lineage.problems(self.user_ns)]

    def stale_cells(self) -> list[StaleCell]:
        """The cells to run again, in dependency order, so that no name is stale."""
        from magics.surface import StaleCell  # the surface's Protocols load with the first magic that asks

        return [StaleCell(run.label, run.code, run.key)
                for run in self.lineage.lineage.stale_cells(self.user_ns)]

    def name_lineage(self, name: str) -> list[str]:
        """Where ``name`` came from, one line per binding (``[]``: no cell the session saw made it)."""
        return self.lineage.lineage.describe(name, self.user_ns)
