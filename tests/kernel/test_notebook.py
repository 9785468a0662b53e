"""nbclient runs a notebook on the hocus kernel: magics, rich display, an error, stdin, ``!``."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).parent / "notebooks" / "tour.ipynb"


def text_of(cell) -> str:
    return "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")


def test_notebook_runs_with_the_outputs_a_user_expects(hocus_env):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, kernel_name="hocus", timeout=60).execute()
    cells = nb.cells
    assert text_of(cells[0]) == "doubled 42\n"
    assert cells[1].outputs == []  # %%capture kept it
    assert text_of(cells[2]).startswith("inside capture\n") and "Wall time" in text_of(cells[2])
    assert cells[2].outputs[-1]["data"]["text/plain"] == "499500"
    assert cells[2].execution_count == 3
    assert cells[3].outputs[0]["data"]["text/html"] == '<span class="badge">hocus</span>'
    assert cells[4].outputs[0]["output_type"] == "display_data"
    assert cells[4].outputs[0]["data"]["text/markdown"] == "**shown**"
    error = cells[5].outputs[0]
    assert (error.output_type, error.ename) == ("error", "NameError")
    assert any("undefined_name" in line for line in error.traceback)
    # nbclient does not answer input requests: input() fails at once instead of hanging
    assert cells[6].outputs[0].ename == "StdinNotImplementedError"
    assert text_of(cells[7]) == "from-the-shell\n"
