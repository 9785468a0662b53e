"""Real notebooks run top to bottom on the hocus kernel with nbclient, and say nothing of hidden state.

Issue 17's "no false alarms": a notebook run once from the top, with no edits,
gives no hidden-state warning. The corpus is fifteen documentation notebooks
of nbsphinx and of the classic Jupyter Notebook (``public_notebooks``; which,
from where, under which licence: ``notebooks/public/README.md``), plus the
project's own notebooks in ``notebooks/``. Each must run to its end with no
error but those its authors meant (or that the README explains), and no
output of any cell may carry a hidden-state warning.

Each public notebook runs twice: as nbclient sends it (no cell ids: the
kernel knows a cell by its code, as the terminal does) and as JupyterLab does
(each execute request carries the cell's ``cellId`` and ``deletedCells``);
one that sleeps long on purpose runs once, with nbclient.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from public_notebooks import CORPUS, PublicNotebook, needs_doc_packages

OWN_NOTEBOOKS = sorted((Path(__file__).parent / "notebooks").glob("*.ipynb"))
HIDDEN_STATE = "hidden state: "  # how each warning line starts (shell/engine/lineage, docs/hidden-state.md)


class CellIdClient(NotebookClient):
    """nbclient that puts the cell's id in each execute request's metadata, as JupyterLab does."""

    cell_id = None

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self.cell_id = cell.get("id")
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        make = kc.session.msg

        def msg(msg_type, content=None, parent=None, header=None, metadata=None):
            if msg_type == "execute_request":
                metadata = {**(metadata or {}), "cellId": self.cell_id, "deletedCells": []}
            return make(msg_type, content, parent, header, metadata)

        kc.session.msg = msg
        return kc


FRONT_ENDS = {"nbclient": NotebookClient, "cell-ids": CellIdClient}


def run(nb: nbformat.NotebookNode, cwd: Path, front_end: str = "nbclient") -> None:
    """Run every cell in order on the hocus kernel, going on past errors as "Run All" does not (to see them all)."""
    FRONT_ENDS[front_end](nb, kernel_name="hocus", timeout=60, allow_errors=True,
                          resources={"metadata": {"path": str(cwd)}}).execute()


def code_cells(nb: nbformat.NotebookNode) -> list:
    """The code cells a front end runs (nbclient, like JupyterLab, skips empty ones)."""
    return [cell for cell in nb.cells if cell.cell_type == "code" and cell.source.strip()]


def warnings_in(nb: nbformat.NotebookNode) -> list[str]:
    """Every output line, of any cell and any output type, that is a hidden-state warning."""
    lines = []
    for cell in code_cells(nb):
        for out in cell.outputs:
            texts = [out.get("text", "")] + list(out.get("traceback", [])) + [
                value for value in out.get("data", {}).values() if isinstance(value, str)]
            lines += [line for text in texts for line in text.splitlines() if HIDDEN_STATE in line]
    return lines


def errors_in(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(first line of the cell, exception name) for each cell that ended in an error."""
    return [(cell.source.splitlines()[0] if cell.source else "", out.ename)
            for cell in code_cells(nb) for out in cell.outputs if out.output_type == "error"]


def runs(corpus: list[PublicNotebook]) -> list:
    """(notebook, front end) pairs: each notebook with each front end, once only if it sleeps long."""
    return [pytest.param(notebook, front_end, id=f"{notebook.id}-{front_end}",
                         marks=[pytest.mark.xfail(strict=True, reason=notebook.hocus_defect)]
                         if notebook.hocus_defect else [])
            for notebook in corpus for front_end in (["nbclient"] if notebook.asleep else FRONT_ENDS)]


@needs_doc_packages
@pytest.mark.parametrize(("notebook", "front_end"), runs(CORPUS))
def test_a_public_notebook_runs_to_its_end_with_no_hidden_state_warning(hocus_env, tmp_path, notebook: PublicNotebook,
                                                                        front_end: str):
    nb, cwd = notebook.prepare(tmp_path)
    run(nb, cwd, front_end)
    cells = code_cells(nb)
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1))  # all ran, in order
    expected = [(cell.source.splitlines()[0], notebook.expected_error(cell.source))
                for cell in cells if notebook.expected_error(cell.source)]
    assert errors_in(nb) == expected
    assert warnings_in(nb) == []


@pytest.mark.parametrize("path", OWN_NOTEBOOKS, ids=lambda path: path.name)
def test_the_projects_own_notebooks_give_no_hidden_state_warning(hocus_env, tmp_path, path: Path):
    nb = nbformat.read(path, as_version=4)
    run(nb, tmp_path)
    assert all(cell.execution_count for cell in code_cells(nb))
    assert warnings_in(nb) == []

