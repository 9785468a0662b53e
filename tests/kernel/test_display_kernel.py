"""Rich display and inline matplotlib figures through a real kernel (jupyter_client over ZMQ)."""

from __future__ import annotations

import base64
import io

import pytest
from kernel_client import execute

PIL = pytest.importorskip("PIL.Image")


def png_size(data: str) -> tuple[int, int]:
    image = PIL.open(io.BytesIO(base64.b64decode(data)))
    image.load()  # a truncated or corrupt PNG fails here
    assert image.format == "PNG"
    return image.size


def images(outputs, msg_type="display_data"):
    return [m["content"] for m in outputs if m["msg_type"] == msg_type and "image/png" in m["content"]["data"]]


def test_matplotlib_is_not_loaded_at_start_but_inline_is_the_backend(kc):
    reply, outputs = execute(kc, "import sys, os\nprint('matplotlib' in sys.modules, os.environ['MPLBACKEND'])")
    assert reply["status"] == "ok"
    text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
    assert text == "False module://shell.display.inline_backend\n"


def test_figure_made_in_a_cell_is_sent_as_png_after_it_and_closed(kc):
    execute(kc, "%config InlineBackend.print_figure_kwargs = {'bbox_inches': None}")
    reply, outputs = execute(kc, "import matplotlib.pyplot as plt\n"
                                 "plt.figure(figsize=(4, 3), dpi=50)\nplt.plot(range(10));")
    assert reply["status"] == "ok", reply
    shown = images(outputs)
    assert len(shown) == 1
    assert png_size(shown[0]["data"]["image/png"]) == (200, 150)
    assert shown[0]["data"]["text/plain"].startswith("<Figure size 200x150")
    reply, outputs = execute(kc, "print(plt.get_fignums())")
    assert "[]" in "".join(m["content"].get("text", "") for m in outputs)


def test_plt_show_displays_at_that_point(kc):
    reply, outputs = execute(kc, "plt.figure(figsize=(2, 2), dpi=50); plt.plot([1, 2])\n"
                                 "print('before')\nplt.show()\nprint('after')")
    kinds = [(m["msg_type"], m["content"].get("text", "").strip()) for m in outputs]
    assert kinds == [("stream", "before"), ("display_data", ""), ("stream", "after")], kinds


def test_figure_as_last_expression_is_shown_once(kc):
    reply, outputs = execute(kc, "fig, ax = plt.subplots(figsize=(3, 2), dpi=50)\nax.plot([3, 1])\nfig")
    assert len(images(outputs, "execute_result")) == 1
    assert images(outputs) == []
    assert png_size(images(outputs, "execute_result")[0]["data"]["image/png"]) == (150, 100)


def test_retina_and_svg_formats(kc):
    execute(kc, "%config InlineBackend.figure_formats = {'retina', 'svg'}")
    reply, outputs = execute(kc, "plt.figure(figsize=(2, 1), dpi=50); plt.plot([1, 2]);")
    (shown,) = images(outputs)
    assert png_size(shown["data"]["image/png"]) == (200, 100)
    assert shown["metadata"]["image/png"] == {"width": 100, "height": 50}
    assert shown["data"]["image/svg+xml"].lstrip().startswith(("<?xml", "<svg"))
    execute(kc, "%config InlineBackend.figure_formats = {'png'}")


def test_matplotlib_switching_to_agg_shows_nothing(kc):
    execute(kc, "%matplotlib agg")
    reply, outputs = execute(kc, "plt.plot([1]);")
    assert images(outputs) == []
    execute(kc, "plt.close('all')\n%matplotlib inline")
    reply, outputs = execute(kc, "plt.figure(figsize=(1, 1), dpi=50); plt.plot([1]);")
    assert len(images(outputs)) == 1


def test_display_and_update_display_from_shell_display(kc):
    reply, outputs = execute(kc, "from shell.display import display, update_display, HTML, Markdown\n"
                                 "h = display(Markdown('*one*'), display_id='abc')\n"
                                 "update_display(HTML('<b>two</b>'), display_id='abc')")
    assert reply["status"] == "ok", reply
    first, second = [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data")]
    assert first["msg_type"] == "display_data"
    assert first["content"]["data"]["text/markdown"] == "*one*"
    assert first["content"]["transient"] == {"display_id": "abc"}
    assert second["msg_type"] == "update_display_data"
    assert second["content"]["data"]["text/html"] == "<b>two</b>"


def test_html_cell_magic_in_the_kernel(kc):
    reply, outputs = execute(kc, "%%html\n<i>hi</i>")
    (shown,) = [m for m in outputs if m["msg_type"] == "display_data"]
    assert shown["content"]["data"]["text/html"].strip() == "<i>hi</i>"


def test_interactive_mode_still_shows_each_figure_once(kc):
    reply, outputs = execute(kc, "plt.ion()\nplt.figure(figsize=(1, 1), dpi=50)\nplt.plot([1, 2])\nplt.title('t');")
    assert reply["status"] == "ok", reply
    assert len(images(outputs)) == 1
    reply, outputs = execute(kc, "plt.ioff()")
    assert images(outputs) == []


# -- values JSON cannot carry --------------------------------------------------------------------
def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")  # what a browser's JSON.parse does with NaN or Infinity


@pytest.fixture
def strict_json(kc):
    """The client parses messages as JupyterLab does: a NaN token makes the message unreadable."""
    import json

    saved = kc.session.unpack
    kc.session.unpack = lambda data: json.loads(data.decode("utf-8") if isinstance(data, bytes) else data,
                                                parse_constant=_reject_constant)
    yield kc
    kc.session.unpack = saved


def test_nan_in_a_display_bundle_is_sent_as_a_string_with_a_warning(strict_json):
    # ipykernel (jupyter_client's json_clean): NaN and infinities become "nan", "inf", "-inf", with a warning.
    reply, outputs = execute(strict_json, "from shell.display import display\n"
                                          "display({'application/json': {'x': float('nan'), 'y': [float('inf')]},"
                                          " 'text/plain': 'v'}, metadata={'m': -float('inf')}, raw=True)")
    assert reply["status"] == "ok", reply
    shown = [m["content"] for m in outputs if m["msg_type"] == "display_data"]
    assert shown[0]["data"]["application/json"] == {"x": "nan", "y": ["inf"]}
    assert shown[0]["metadata"] == {"m": "-inf"}
    warning = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
    assert "NaN" in warning and warning.count("\n") == 1, warning


def test_nan_in_a_result_bundle_is_sent_as_a_string(strict_json):
    reply, outputs = execute(strict_json, "class Reading:\n    def _repr_json_(self):\n"
                                          "        return {'value': float('nan')}\nReading()")
    assert reply["status"] == "ok", reply
    result = [m["content"] for m in outputs if m["msg_type"] == "execute_result"][0]
    assert result["data"]["application/json"] == {"value": "nan"}


@pytest.mark.parametrize("code", [
    "from shell.display import display\ndisplay({'text/plain': 'v', 'application/json': {'o': object()}}, raw=True)",
    "class Odd:\n    def _repr_json_(self):\n        return {'o': object()}\nOdd()",
])
def test_a_value_json_cannot_carry_is_a_clear_error_in_the_cell(strict_json, code):
    # ipykernel: ValueError: Can't clean for JSON: <object object at ...>; never a silent repr().
    reply, outputs = execute(strict_json, code)
    assert reply["status"] == "error" and reply["ename"] == "ValueError", reply
    assert "['o']" in reply["evalue"] and "object" in reply["evalue"] and "JSON" in reply["evalue"]
    assert not [m for m in outputs if m["msg_type"] in ("display_data", "execute_result")]
    assert execute(strict_json, "1 + 1")[0]["status"] == "ok"
