"""Libraries written for IPython, run unchanged on the hocus kernel (the IPython bridge, shell/bridge).

Real libraries from the test extra (ipywidgets, tqdm, plotly, rich,
line_profiler, memory_profiler, Cython, IPython's own autoreload), a real
kernel process, driven by nbclient (as a notebook run) and by jupyter_client
(to move a widget's slider as JupyterLab does, with a ``comm_msg``). The
expected messages are the ones ipykernel sends for the same cells.
"""

from __future__ import annotations

import os

import nbformat
import pytest
from kernel_client import TIMEOUT, collect, execute, stdout_of
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

pytest.importorskip("ipywidgets", reason="the test extra installs the libraries the bridge serves")


def run_notebook(*sources: str, cwd=None) -> list:
    nb = new_notebook(cells=[new_code_cell(source) for source in sources])
    NotebookClient(nb, kernel_name="hocus", timeout=120,
                   resources={"metadata": {"path": str(cwd)}} if cwd else {}).execute()
    return nb.cells


def comm_messages(cell_outputs_or_msgs: list[dict]) -> list[dict]:
    return [m for m in cell_outputs_or_msgs if m["msg_type"] in ("comm_open", "comm_msg")]


def test_ipython_display_with_ids_and_clear_output(hocus_env):
    cells = run_notebook(
        "from IPython.display import display, HTML, clear_output\n"
        "h = display(HTML('<b>one</b>'), display_id=True)\nh.update(HTML('<b>two</b>'))",
        "import time\nfor i in range(4):\n    clear_output(wait=True)\n    print('line', i)",
    )
    # nbclient applies update_display_data to the output with that display id, as JupyterLab does
    (shown,) = cells[0].outputs
    assert shown["data"]["text/html"] == "<b>two</b>"
    # clear_output(wait=True) leaves only the last line, as with ipykernel
    assert [o.get("text") for o in cells[1].outputs] == ["line 3\n"]


@pytest.mark.parametrize("cell", [
    "from ipywidgets import interact, IntSlider\n@interact(x=IntSlider(3))\ndef f(x):\n    print('value', x * 2)",
    "from ipywidgets import interactive, IntSlider\ndef f(x):\n    print('value', x * 2)\n"
    "w = interactive(f, x=IntSlider(3))\nw",
], ids=["interact", "interactive"])
def test_interact_slider_moves_and_output_follows(kc, cell):
    reply, outputs = execute(kc, cell)
    assert reply["status"] == "ok"
    opened = {m["content"]["comm_id"]: m["content"]["data"]["state"] for m in outputs if m["msg_type"] == "comm_open"}
    slider = next(cid for cid, state in opened.items() if state["_model_name"] == "IntSliderModel")
    output_widget = next(cid for cid, state in opened.items() if state["_model_name"] == "OutputModel")
    # the interact widget is displayed as a widget view, not as its repr
    views = [m["content"]["data"] for m in outputs if m["msg_type"] in ("display_data", "execute_result")]
    assert any("application/vnd.jupyter.widget-view+json" in data for data in views)
    assert "value 6\n" in stdout_of(outputs)

    # move the slider as JupyterLab does: a comm_msg with the new state
    msg = kc.session.msg("comm_msg", {"comm_id": slider, "data": {"method": "update", "state": {"value": 7},
                                                                  "buffer_paths": []}})
    kc.shell_channel.send(msg)
    answered = collect(kc, msg["header"]["msg_id"], timeout=TIMEOUT)
    # the Output widget claims the messages of this request (its msg_id), then the new output arrives
    claims = [m["content"]["data"]["state"].get("msg_id") for m in answered
              if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == output_widget]
    assert claims[0] == msg["header"]["msg_id"] and claims[-1] == ""
    assert "value 14\n" in stdout_of(answered)


def test_output_widget_captures_as_context_manager_and_decorator(kc):
    reply, outputs = execute(kc, "import ipywidgets as w\nout = w.Output()\ndisplay(out)\n"
                                 "with out:\n    print('inside')\n"
                                 "@out.capture()\ndef later():\n    print('decorated')\nlater()")
    assert reply["status"] == "ok"
    parent = outputs[0]["parent_header"]["msg_id"]
    claims = [m["content"]["data"]["state"]["msg_id"] for m in outputs
              if m["msg_type"] == "comm_msg" and "msg_id" in m["content"]["data"]["state"]]
    assert claims == [parent, "", parent, ""]
    assert stdout_of(outputs) == "inside\ndecorated\n"


def test_tqdm_notebook_bar_reaches_the_end(hocus_env):
    (cell,) = run_notebook("from tqdm.notebook import tqdm\nfor i in tqdm(range(20)):\n    pass")
    # the bar is a widget (an HBox of a FloatProgress), not the text fallback
    (view,) = [o for o in cell.outputs if o.output_type == "display_data"]
    assert "application/vnd.jupyter.widget-view+json" in view["data"]
    assert "|" in view["data"]["text/plain"]


def test_tqdm_bar_value_and_style_arrive_as_comm_messages(kc):
    reply, outputs = execute(kc, "from tqdm.notebook import tqdm\nfor i in tqdm(range(20)):\n    pass")
    assert reply["status"] == "ok"
    updates = [m["content"]["data"]["state"] for m in comm_messages(outputs) if m["msg_type"] == "comm_msg"]
    assert {"value": 20.0} in updates and {"bar_style": "success"} in updates


def test_plotly_show_sends_the_plotly_bundle(hocus_env):
    (cell,) = run_notebook("import plotly.graph_objects as go\ngo.Figure(go.Bar(y=[1, 2, 3])).show()")
    bundles = [o["data"] for o in cell.outputs if o.output_type == "display_data"]
    # one bundle, as ipykernel sends (plotly's "plotly_mimetype" renderer): no inlined plotly.js
    (plotly,) = bundles
    assert plotly["application/vnd.plotly.v1+json"]["data"][0]["y"] == [1, 2, 3]
    assert "text/html" not in plotly


def test_rich_renders_for_jupyter(hocus_env):
    (cell,) = run_notebook("import rich\nrich.print('[bold red]alarm')")
    (shown,) = cell.outputs
    # rich sees a Jupyter front end: HTML with the style, as under ipykernel
    assert shown.output_type == "display_data"
    assert "font-weight: bold" in shown["data"]["text/html"] and "alarm" in shown["data"]["text/html"]


def test_pandas_sees_a_notebook_front_end(hocus_env):
    (cell,) = run_notebook("import pandas as pd\nprint(pd.DataFrame([range(15)], columns=[f'column_{i}' for i in range(15)]))")
    text = "".join(o.get("text", "") for o in cell.outputs)
    # in a notebook front end pandas wraps the columns instead of eliding them
    assert "[1 rows x 15 columns]" not in text and "column_14" in text


def test_line_profiler_lprun(kc):
    execute(kc, "%load_ext line_profiler")
    reply, outputs = execute(kc, "def g(n):\n    total = 0\n    for i in range(n):\n        total += i\n"
                                 "    return total\n%lprun -f g g(100)")
    assert reply["status"] == "ok", reply
    paged = "".join(p["data"]["text/plain"] for p in reply["payload"] if p["source"] == "page")
    assert "Line #" in paged and "total += i" in paged


def test_memory_profiler_memit(kc):
    execute(kc, "%load_ext memory_profiler")
    reply, outputs = execute(kc, "%memit sum(range(1000))")
    assert reply["status"] == "ok", reply
    assert stdout_of(outputs).startswith("peak memory:")


def test_cython_cell_magic(kc, tmp_path):
    reply, _ = execute(kc, "%load_ext Cython")
    assert reply["status"] == "ok", reply
    reply, _ = execute(kc, "%%cython\ndef triple(int n):\n    return n * 3", timeout=300)
    assert reply["status"] == "ok", reply
    reply, outputs = execute(kc, "triple(14)")
    assert [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"] == ["42"]


@pytest.mark.parametrize("extension", ["autoreload", "IPython.extensions.autoreload"])
def test_autoreload_picks_up_a_module_edited_between_cells(kc, tmp_path, extension):
    name = f"edited_{extension.replace('.', '_')}"
    module = tmp_path / f"{name}.py"
    module.write_text("class Thing:\n    def value(self):\n        return 1\n")
    reply, _ = execute(kc, f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
                           f"%load_ext {extension}\n%autoreload 2\nimport {name}\nthing = {name}.Thing()")
    assert reply["status"] == "ok", reply
    module.write_text("class Thing:\n    def value(self):\n        return 2\n")
    stat = module.stat()
    os.utime(module, (stat.st_atime, stat.st_mtime + 10))  # a later mtime without waiting for the clock
    reply, outputs = execute(kc, "thing.value()")
    assert [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"] == ["2"]


def test_ipython_config_names_never_stop_a_run(hocus_env):
    cells = run_notebook("%config InlineBackend.figure_format = 'retina'",
                         "%config InteractiveShell.ast_node_interactivity = 'all'", "1\n2")
    assert [o["data"]["text/plain"] for o in cells[2].outputs] == ["1", "2"]


def test_shell_display_html_renders_under_ipykernel(tmp_path):
    """Code written against hocus's display API is portable: under ipykernel it shows HTML too."""
    pytest.importorskip("ipykernel", reason="the test extra installs ipykernel as the reference kernel")
    nb = new_notebook(cells=[new_code_cell("from shell.display import HTML, display\n"
                                           "display(HTML('<b>portable</b>'))\nHTML('<i>result</i>')")])
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    bundles = [o["data"] for o in nb.cells[0].outputs]
    assert bundles[0]["text/html"] == "<b>portable</b>"
    assert bundles[1]["text/html"] == "<i>result</i>"
