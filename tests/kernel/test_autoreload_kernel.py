"""%autoreload in the kernel: a notebook run with nbclient edits a module between cells."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook


def write_cell(folder, source: str, mtime: int) -> str:
    """A cell that writes geometry.py with ``source`` and an explicit mtime (no sleeping)."""
    return (f"import os\npath = os.path.join({str(folder)!r}, 'geometry.py')\n"
            f"with open(path, 'w') as f:\n    f.write({source!r})\n"
            f"os.utime(path, ({mtime}, {mtime}))")


V1 = "def area(r):\n    return 3 * r * r\n\nclass Shape:\n    def describe(self):\n        return 'round'\n"
V2 = "def area(r):\n    return 4 * r * r\n\nclass Shape:\n    def describe(self):\n        return 'square'\n"
BROKEN = "def area(r:\n    return 5\n"


def stream(cell, name: str) -> str:
    return "".join(out.get("text", "") for out in cell.outputs
                   if out.output_type == "stream" and out.name == name)


def result(cell) -> str:
    return next(out["data"]["text/plain"] for out in cell.outputs if out.output_type == "execute_result")


def test_run_all_reloads_an_edited_module_between_cells(hocus_env, tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("%load_ext autoreload\n%autoreload 2"),
        new_code_cell(f"import sys\nsys.path.insert(0, {str(tmp_path)!r})\n" + write_cell(tmp_path, V1, 1_000_000)),
        new_code_cell("from geometry import area, Shape\nshape = Shape()\narea(2), shape.describe()"),
        new_code_cell(write_cell(tmp_path, V2, 1_000_010)),
        new_code_cell("area(2), shape.describe()"),
        new_code_cell(write_cell(tmp_path, BROKEN, 1_000_020)),
        new_code_cell("print('still runs', area(2))"),
    ])
    nb.metadata["kernelspec"] = {"name": "hocus", "display_name": "Python 3 (hocus)", "language": "python"}
    NotebookClient(nb, kernel_name="hocus", timeout=60).execute()
    cells = nb.cells
    assert cells[0].outputs == []
    assert result(cells[2]) == "(12, 'round')"
    assert result(cells[4]) == "(16, 'square')"  # ipykernel with IPython's autoreload: (16, 'square')
    assert stream(cells[6], "stdout") == "still runs 16\n"
    assert stream(cells[6], "stderr") == ("[autoreload of geometry failed: SyntaxError: "
                                          "'(' was never closed (geometry.py, line 1)]\n")
