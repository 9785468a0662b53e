"""shell.display: the display objects' MIME bundles, display() from library code, display magics."""

from __future__ import annotations

import base64
import io
import json
import struct
import zlib

import pytest

from shell import Shell
from shell.display import (HTML, JSON, SVG, Code, FileLink, Image, Javascript, Latex, Markdown, Math, Pretty,
                           clear_output, display, update_display)
from shell.engine.display.formatting import DisplayFormatter


class Recorder:
    def __init__(self):
        self.published = []
        self.results = []
        self.cleared = []

    def publish(self, data, metadata=None, *, transient=None, update=False):
        self.published.append({"data": data, "metadata": metadata or {}, "transient": transient, "update": update})

    def publish_result(self, execution_count, data, metadata=None):
        self.results.append({"data": data, "metadata": metadata or {}})

    def clear_output(self, wait=False):
        self.cleared.append(wait)


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def bundle(obj):
    return DisplayFormatter().format(obj)


@pytest.fixture
def recorded():
    rec = Recorder()
    return Shell(entry_points=False, display_publisher=rec), rec


def test_text_objects_bundles():
    assert bundle(HTML("<b>x</b>"))[0]["text/html"] == "<b>x</b>"
    assert bundle(Markdown("*x*"))[0]["text/markdown"] == "*x*"
    assert bundle(Latex(r"$\alpha$"))[0]["text/latex"] == r"$\alpha$"
    assert bundle(Math(r"\alpha"))[0]["text/latex"] == r"$\displaystyle \alpha$"
    assert bundle(Javascript("alert(1)"))[0]["application/javascript"] == "alert(1)"
    data, _ = bundle(Pretty("just text"))
    assert data == {"text/plain": "just text"}
    assert bundle(HTML("<b>x</b>"))[0]["text/plain"] == "<shell.display.HTML object>"


def test_svg_keeps_only_the_svg_element():
    data, _ = bundle(SVG('<?xml version="1.0"?>\n<svg width="1"></svg>'))
    assert data["image/svg+xml"] == '<svg width="1"></svg>'


def test_json_bundle_and_metadata():
    data, metadata = bundle(JSON({"a": [1, 2]}, expanded=True))
    assert data["application/json"] == {"a": [1, 2]}
    assert metadata["application/json"] == {"expanded": True, "root": "root"}
    assert bundle(JSON('{"b": 1}'))[0]["application/json"] == {"b": 1}


def test_image_from_bytes_and_file(tmp_path):
    png = tiny_png()
    data, metadata = bundle(Image(png, width=30))
    assert base64.b64decode(data["image/png"]) == png
    assert metadata == {"image/png": {"width": 30}}
    path = tmp_path / "pic.png"
    path.write_bytes(png)
    assert base64.b64decode(bundle(Image(filename=path))[0]["image/png"]) == png
    assert base64.b64decode(bundle(Image(str(path)))[0]["image/png"]) == png


def test_image_retina_halves_the_shown_size_and_jpeg_is_detected():
    _, metadata = bundle(Image(tiny_png(8, 6), retina=True))
    assert metadata["image/png"] == {"width": 4, "height": 3}
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 20
    assert "image/jpeg" in bundle(Image(jpeg))[0]


def test_image_by_url_without_embedding():
    data, _ = bundle(Image(url="https://example.org/a.png", embed=False, width=10))
    assert data["text/html"] == '<img src="https://example.org/a.png" width="10"/>'
    assert "image/png" not in data


def test_code_is_highlighted():
    data, _ = bundle(Code("x = 1", language="python"))
    assert '<div class="highlight">' in data["text/html"]
    assert data["text/plain"] == "x = 1"
    assert "\\begin{Verbatim}" in data["text/latex"]


def test_file_link(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a")
    data, _ = bundle(FileLink(path))
    assert f"<a href='{path.as_posix()}' target='_blank'>{path}</a><br>" == data["text/html"]
    assert "doesn't exist" in bundle(FileLink(tmp_path / "nope"))[0]["text/html"]


def test_failing_repr_warns_and_falls_back():
    warnings = []

    class Broken:
        def _repr_html_(self):
            raise RuntimeError("boom")

        def _repr_markdown_(self):
            return "*fine*"

    data, _ = DisplayFormatter(warn=warnings.append).format(Broken())
    assert data["text/markdown"] == "*fine*" and "text/html" not in data
    assert len(warnings) == 1 and "boom" in warnings[0] and warnings[0].count("\n") == 1


def test_display_from_library_code_finds_the_running_shell(recorded):
    sh, rec = recorded
    sh.run_cell("from shell.display import display, Markdown\n"
                "h = display(Markdown('*a*'), display_id=True)\nh.update(Markdown('*b*'))")
    first, second = rec.published
    assert first["data"]["text/markdown"] == "*a*" and not first["update"]
    assert second["data"]["text/markdown"] == "*b*" and second["update"]
    assert first["transient"]["display_id"] == second["transient"]["display_id"]


def test_two_shells_each_get_their_own_display(recorded):
    sh, rec = recorded
    other_rec = Recorder()
    other = Shell(entry_points=False, display_publisher=other_rec)
    sh.user_ns["other"] = other
    sh.run_cell("from shell.display import display\n"
                "other.run_cell('from shell.display import display; display(\"inner\")')\n"
                "display('outer')")
    assert [p["data"]["text/plain"] for p in other_rec.published] == ["'inner'"]
    assert [p["data"]["text/plain"] for p in rec.published] == ["'outer'"]


def test_display_options(recorded):
    sh, rec = recorded
    sh.run_cell("from shell.display import display, update_display, clear_output, HTML\n"
                "display(HTML('<i>x</i>'), 5, include=['text/html'])\n"  # 5 has no HTML: nothing to show
                "display({'text/plain': 'raw!'}, raw=True, metadata={'m': 1})\n"
                "display(HTML('x'), exclude=['text/html'])\n"
                "update_display(HTML('y'), display_id='d1')\n"
                "clear_output(wait=True)")
    assert rec.published[0]["data"] == {"text/html": "<i>x</i>"}
    assert rec.published[1]["data"] == {"text/plain": "raw!"} and rec.published[1]["metadata"] == {"m": 1}
    assert rec.published[2]["data"] == {"text/plain": "<shell.display.HTML object>"}
    assert rec.published[3]["update"] and rec.published[3]["transient"] == {"display_id": "d1"}
    assert rec.cleared == [True]


def test_display_outside_a_cell_prints_text_plain():
    # a fresh process: no hocus cell runs and no IPython shell exists (with one, display goes there)
    import subprocess
    import sys

    code = ("from shell.display import HTML, Markdown, clear_output, display, update_display\n"
            "display(HTML('<b>x</b>'), [1, 2])\nupdate_display(Markdown('y'), display_id='zz')\nclear_output()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout == "<shell.display.HTML object>\n[1, 2]\n<shell.display.Markdown object>\n", proc.stderr


@pytest.mark.parametrize("magic, mime", [("html", "text/html"), ("markdown", "text/markdown"),
                                         ("latex", "text/latex"), ("javascript", "application/javascript"),
                                         ("js", "application/javascript"), ("svg", "image/svg+xml")])
def test_display_cell_magics(recorded, magic, mime):
    sh, rec = recorded
    result = sh.run_cell(f"%%{magic}\n<svg>content</svg>")
    assert result.success
    (shown,) = rec.published
    assert shown["data"][mime].strip() == "<svg>content</svg>"
    assert "text/plain" in shown["data"]


def test_matplotlib_list(output):
    sh = Shell(entry_points=False, output=output)
    sh.run_cell("%matplotlib --list")
    assert output.stdout.startswith("Available matplotlib backends: ['inline', 'agg', 'tk', 'qt'")


def test_pandas_dataframe_renders_html():
    pandas = pytest.importorskip("pandas")
    data, _ = bundle(pandas.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    assert "<table" in data["text/html"] and "</table>" in data["text/html"]
    assert data["text/plain"].splitlines()[0].split() == ["a", "b"]


def test_sympy_expression_renders_latex():
    sympy = pytest.importorskip("sympy")
    x = sympy.Symbol("x")
    data, _ = bundle(sympy.sqrt(x) / 2)
    assert data["text/latex"] == r"$\displaystyle \frac{\sqrt{x}}{2}$"


def test_matplotlib_figure_is_a_png_of_the_expected_size(recorded):
    pil = pytest.importorskip("PIL.Image")
    sh, rec = recorded
    result = sh.run_cell("%matplotlib inline\nimport matplotlib.pyplot as plt\n"
                         "%config InlineBackend.print_figure_kwargs = {}\n"
                         "fig = plt.figure(figsize=(3, 2), dpi=40); _ = plt.plot([1, 3, 2])")
    assert result.success, result
    (shown,) = rec.published
    image = pil.open(io.BytesIO(base64.b64decode(shown["data"]["image/png"])))
    assert image.size == (120, 80)
    sh.run_cell("plt.close('all')")
