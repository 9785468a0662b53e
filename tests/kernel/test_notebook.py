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


def test_a_repr_of_the_wrong_type_is_left_out_and_the_notebook_runs_on(hocus_env):
    """An int from ``_repr_html_`` is dropped with a warning (IPython's formatters do the same); text/plain stays."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("class Odd:\n    def _repr_html_(self):\n        return 42\n"
                                  "    def __repr__(self):\n        return 'Odd()'\nOdd()"),
        nbformat.v4.new_code_cell("from IPython.display import display\n"
                                  "display({'text/plain': 'plain', 'image/svg+xml': 7}, raw=True)"),
        nbformat.v4.new_code_cell("print('still running')"),
    ])
    NotebookClient(nb, kernel_name="hocus", timeout=60).execute()
    nbformat.validate(nb)
    result = [out for out in nb.cells[0].outputs if out.output_type == "execute_result"]
    assert result[0]["data"] == {"text/plain": "Odd()"}
    warning = "".join(out.text for out in nb.cells[0].outputs if out.output_type == "stream")
    assert warning.count("\n") == 1 and "text/html is an int, not a string" in warning
    shown = [out for out in nb.cells[1].outputs if out.output_type == "display_data"]
    assert shown[0]["data"] == {"text/plain": "plain"}
    assert text_of(nb.cells[2]) == "still running\n"
