"""Hidden-state magics: ``%stale`` and ``%deps NAME`` (``%rerun --stale`` lives with ``%rerun``).

Usage::

    In [5]: %stale
    Stale or orphaned names:
      'df2' is stale: In [2] computed it from 'df', which In [4] has re-bound since; ...
    Cells to run again, in this order (%rerun --stale runs them):
      In [2]: df2 = df.dropna()
    In [6]: %deps df2
    df2  <- In [2]: df2 = df.dropna()  [stale]
      df  <- In [1]: df = load()  [an older value; now from In [4]]

The session records which cell made each name and what it was computed from
(docs/hidden-state.md); these magics read that record through the surface's
``hidden_state_problems``, ``stale_cells`` and ``name_lineage``.
"""

from __future__ import annotations

import re

from magics.arguments import argument, magic_arguments, parse_argstring
from magics.base import Magics
from magics.decorators import line_magic
from magics.errors import UsageError
from magics.surface import ShellSurface

_RERUN = re.compile(r"^\s*%rerun\b", re.M)
OFF = "Hidden-state tracking is off (Shell.hidden_state = 'off'); nothing is recorded.\n"


def first_line(code: str) -> str:
    """A cell's first line, with `...` when it has more: how a cell is shown in a list."""
    lines = code.strip().splitlines() or [""]
    return lines[0] + (" ..." if len(lines) > 1 else "")


class HiddenStateMagics(Magics):
    """What the session knows about where its names came from."""

    @line_magic
    def stale(self, line: str = "") -> None:
        """List every stale or orphaned name, and the cells to run again, in dependency order.

        A name is *stale* when it was computed from a name that the cell which
        made that name has re-bound since (re-run or edited), and *orphaned*
        when the cell that made it was deleted or no longer binds it.
        ``%rerun --stale`` runs the listed cells again, each with its last code.
        """
        if line.strip():
            raise UsageError("%stale takes no arguments (see %deps NAME for one name)")
        shell = self.shell
        if shell.hidden_state == "off":
            shell.write(OFF)
            return
        problems = shell.hidden_state_problems()
        if not problems:
            shell.write("No stale or orphaned names.\n")
            return
        text = ["Stale or orphaned names:"] + [f"  {problem}" for problem in problems]
        cells = shell.stale_cells()
        if cells:
            text.append("Cells to run again, in this order (%rerun --stale runs them):")
            text += [f"  {cell.label}: {first_line(cell.code)}" for cell in cells]
        shell.write("\n".join(text) + "\n")

    @magic_arguments()
    @argument("name", help="the variable whose lineage to show")
    @line_magic
    def deps(self, line: str = "") -> None:
        """Show where a name came from: the cell that made it, and the names and cells it was computed from.

        Each line is ``name <- cell: first line of its code``, indented under
        the name computed from it, marked ``[stale]``, ``[deleted]`` or
        ``[edited]`` when that binding has a problem.
        """
        name = parse_argstring(self.deps, line).name
        if not name.isidentifier():
            raise UsageError(f"%deps: {name!r} is not a variable name")
        shell = self.shell
        if shell.hidden_state == "off":
            shell.write(OFF)
            return
        lines = shell.name_lineage(name)
        if lines:
            shell.write("\n".join(lines) + "\n")
        elif name in shell.user_ns:
            shell.write(f"{name!r} was not made by a cell of this session that hocus saw "
                        "(a library, %run, exec() or a startup file made it).\n")
        else:
            raise UsageError(f"%deps: no variable named {name!r}")


def rerun_stale(shell: ShellSurface) -> None:
    """``%rerun --stale``: run the stale chain again, in dependency order, each cell as itself.

    Each cell runs its last code under its own cell id, so what it binds is
    that cell's again; the run stops at the first cell that fails.
    """
    if shell.hidden_state == "off":
        shell.write(OFF)
        return
    cells = shell.stale_cells()
    if not cells:
        shell.write("Nothing is stale.\n")
        return
    for cell in cells:
        if _RERUN.search(cell.code):  # it would run this very chain again, from inside itself
            shell.write_err(f"%rerun --stale: {cell.label} runs %rerun itself; run it by hand.\n")
            continue
        shell.write(f"=== Running {cell.label} again: ===\n{cell.code.rstrip()}\n")
        outcome = shell.run_cell(cell.code, store_history=False, cell_id=cell.cell_id)
        if not outcome.success:
            shell.write_err(f"%rerun --stale: {cell.label} failed; the cells after it were not run.\n")
            return
