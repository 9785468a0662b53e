"""Through a real kernel: what a cell shows (``;``, ``ast_node_interactivity``) and IPython's config names.

Issue 13 item 3 (a trailing ``;`` in SQL hid the result) and issue 12's
"IPython's configuration names" (``%config InlineBackend.figure_format =
'retina'``, ``%config InteractiveShell.ast_node_interactivity = 'all'``),
checked as ipykernel behaves.
"""

from __future__ import annotations

import base64
import io

import nbformat
import pytest
from kernel_client import execute
from nbclient import NotebookClient

PIL = pytest.importorskip("PIL.Image")


def results(outputs):
    return [(m["content"]["execution_count"], m["content"]["data"]["text/plain"])
            for m in outputs if m["msg_type"] == "execute_result"]


def errors(outputs):
    return [m["content"] for m in outputs if m["msg_type"] == "error"]


def stderr_of(outputs):
    return "".join(m["content"]["text"] for m in outputs
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")


def test_sql_ending_with_a_semicolon_shows_its_rows(kc):
    reply, outputs = execute(kc, "%sql sqlite://")
    assert reply["status"] == "ok", reply
    reply, outputs = execute(kc, "%%sql\nCREATE TABLE t (a INT, b TEXT);\nINSERT INTO t VALUES (1, 'x');\n"
                                 "SELECT * FROM t;")
    assert reply["status"] == "ok", reply
    shown = [m["content"]["data"] for m in outputs if m["msg_type"] == "execute_result"]
    assert len(shown) == 1 and "| 1 | x |" in shown[0]["text/plain"]
    reply, outputs = execute(kc, "%sql SELECT 41 + 1 AS answer;")
    (shown,) = [m["content"]["data"] for m in outputs if m["msg_type"] == "execute_result"]
    assert "42" in shown["text/plain"]
    reply, outputs = execute(kc, "1 + 1;")  # Python's own ';' still hides
    assert results(outputs) == []


def test_ast_node_interactivity_all_gives_each_value_its_own_result(kc):
    reply, outputs = execute(kc, "%config InteractiveShell.ast_node_interactivity = 'all'")
    assert reply["status"] == "ok" and errors(outputs) == [] and stderr_of(outputs) == ""
    reply, outputs = execute(kc, "a = 1\na\nfor i in range(2):\n    i * 10\n'last'")
    count = reply["execution_count"]
    assert results(outputs) == [(count, "1"), (count, "0"), (count, "10"), (count, "'last'")]
    execute(kc, "%config InteractiveShell.ast_node_interactivity = 'last_expr'")
    reply, outputs = execute(kc, "1\n2")
    assert results(outputs) == [(reply["execution_count"], "2")]


def test_an_ipython_setting_hocus_lacks_is_a_note_not_an_error(kc):
    reply, outputs = execute(kc, "%config InteractiveShell.sphinxify_docstring = True")
    assert reply["status"] == "ok" and errors(outputs) == []
    assert stderr_of(outputs) == ("Note: InteractiveShell.sphinxify_docstring: an IPython setting hocus does not have; "
                                  "ignored\n")


def png_size(data: str) -> tuple[int, int]:
    image = PIL.open(io.BytesIO(base64.b64decode(data)))
    image.load()
    return image.size


def test_inline_backend_rc_and_retina_figure_format(kc):
    reply, outputs = execute(kc, "%config InlineBackend.rc = {'figure.figsize': (2.0, 1.0), 'figure.dpi': 50}\n"
                                 "%config InlineBackend.print_figure_kwargs = {'bbox_inches': None}\n"
                                 "%config InlineBackend.figure_format = 'retina'")
    assert reply["status"] == "ok" and errors(outputs) == [] and stderr_of(outputs) == "", outputs
    reply, outputs = execute(kc, "import matplotlib.pyplot as plt\nplt.plot([1, 2]);")
    assert reply["status"] == "ok", reply
    (shown,) = [m["content"] for m in outputs if m["msg_type"] == "display_data"]
    # the rc made a 100x50 figure; retina draws it at twice the DPI and says to show it at half, as ipykernel
    assert png_size(shown["data"]["image/png"]) == (200, 100)
    assert shown["metadata"]["image/png"] == {"width": 100, "height": 50}
    # rc changed while the backend is in use: applied at once
    execute(kc, "%config InlineBackend.rc = {'figure.figsize': (3.0, 1.0)}\n"
                "%config InlineBackend.figure_format = 'png'")
    reply, outputs = execute(kc, "plt.plot([1, 2]);")
    (shown,) = [m["content"] for m in outputs if m["msg_type"] == "display_data"]
    assert png_size(shown["data"]["image/png"]) == (150, 50) and "image/png" not in shown["metadata"]


def test_a_bad_figure_format_is_one_line_and_keeps_the_formats(kc):
    reply, outputs = execute(kc, "%config InlineBackend.figure_format = 'gif'")
    assert reply["status"] == "error" and reply["ename"] == "UsageError"
    reply, outputs = execute(kc, "%config InlineBackend.figure_formats")
    assert "{'png'}" in "".join(m["content"].get("text", "") for m in outputs)


def test_a_notebook_whose_first_cell_sets_ipython_names_runs_all(hocus_env):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("%config InlineBackend.figure_format = 'retina'\n"
                                  "%config InteractiveShell.ast_node_interactivity = 'all'\n"
                                  "%config IPCompleter.greedy = True\n"
                                  "%config InteractiveShell.sphinxify_docstring = True"),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.figure(figsize=(2, 1), dpi=50)\n"
                                  "plt.plot([1, 2]);"),
        nbformat.v4.new_code_cell("x = 1\nx\nx + 1"),
    ]
    NotebookClient(nb, kernel_name="hocus", timeout=60).execute()
    first, figure, values = nb.cells
    assert [out.output_type for out in first.outputs] == ["stream"]  # the one note, no error
    (image,) = [out for out in figure.outputs if out.output_type == "display_data"]
    width, height = png_size(image.data["image/png"])
    assert image.metadata["image/png"] == {"width": width // 2, "height": height // 2}
    assert [out.data["text/plain"] for out in values.outputs] == ["1", "2"]
