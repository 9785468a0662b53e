"""Libraries written for IPython draw in JupyterLab on the hocus kernel, in a real headless Chromium.

Issue 12's browser check of the IPython bridge: a notebook with an ipywidgets
``interact`` slider, a ``tqdm.notebook`` bar and a plotly chart runs in
JupyterLab, and the test looks at the page as a user would: the slider is
moved with the keyboard and its output follows, the bar fills to 20/20, the
chart's SVG is drawn. The widget manager (jupyterlab_widgets) and plotly's
mimetype renderer (jupyterlab-plotly) are the lab extensions the test extra
installs; the test first checks the page loaded them. Requests to anything
but the local server are refused, so nothing comes from a CDN.

Screenshots of each step go to ``tmp_path/screenshots`` (named in the test's
``screenshots`` property and printed), and are copied to ``test-artifacts/``
at the repository root when ``HOCUS_TEST_ARTIFACTS`` is set (``.ci/run`` sets
it). The browser, server and skip rule are those of ``test_jupyterlab_browser`` (``lab_browser``).
"""

from __future__ import annotations

import contextlib
import re

import pytest

pytest.importorskip("jupyterlab")
pytest.importorskip("ipywidgets", reason="the test extra installs the libraries the bridge serves")
pytest.importorskip("plotly")
pytest.importorskip("tqdm")
sync_api = pytest.importorskip("playwright.sync_api")

from jupyter_servers import running_server  # noqa: E402
from lab_browser import (Screenshots, needs_chromium, offline_page, open_notebook, run_all_cells,  # noqa: E402
                         write_hocus_notebook, write_lab_config)

TIMEOUT_MS = 120_000  # a loaded 2-core machine: the lab page, the kernel and plotly.js all start cold
LAB_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "jupyterlab-plotly")
INTERACT_CELL = ("from ipywidgets import interact, IntSlider\n\n"
                 "@interact(x=IntSlider(3))\ndef double(x):\n    print(f'doubled {x * 2}')")
TQDM_CELL = "from tqdm.notebook import tqdm\n\nfor i in tqdm(range(20)):\n    pass"
PLOTLY_CELL = "import plotly.graph_objects as go\n\ngo.Figure(go.Bar(y=[1, 2, 3])).show()"

pytestmark = needs_chromium


def lab_extensions_in(page) -> list[str]:
    """The prebuilt lab extensions the server handed to this page."""
    return page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
                         ".federated_extensions.map(e => e.name)")


def test_interact_tqdm_and_plotly_draw_in_jupyterlab(hocus_env, tmp_path, request, record_property):
    root, scratch = tmp_path / "root", tmp_path / "scratch"
    root.mkdir()
    write_lab_config(scratch)
    name = write_hocus_notebook(root / "libraries.ipynb", INTERACT_CELL, TQDM_CELL, PLOTLY_CELL)
    shots = Screenshots(tmp_path / "screenshots", request.node.name)
    record_property("screenshots", str(shots.folder))
    print("screenshots in", shots.folder)

    expect = sync_api.expect

    with (running_server("jupyterlab", root, scratch) as server, sync_api.sync_playwright() as pw,
          offline_page(pw, server, timeout_ms=TIMEOUT_MS, height=1400) as page):
        # the browser's errors, printed with the test's output when it fails
        page.on("console", lambda msg: msg.type == "error" and print("console error:", msg.text))
        page.on("pageerror", lambda error: print("page error:", error))
        try:
            open_notebook(page, server, name)
            assert set(LAB_EXTENSIONS) <= set(lab_extensions_in(page)), lab_extensions_in(page)
            run_all_cells(page)
            cells = page.locator(".jp-Notebook .jp-CodeCell")

            # 1. interact: a slider at 3 whose output follows it when moved with the keyboard
            interact = cells.nth(0)
            output = interact.locator(".widget-output")
            expect(output).to_contain_text("doubled 6", timeout=TIMEOUT_MS)
            expect(interact.locator(".widget-readout")).to_have_text("3", timeout=TIMEOUT_MS)
            shots.take(interact, "1-interact-at-3")
            interact.locator(".widget-slider .noUi-handle").focus()
            page.keyboard.press("ArrowRight")
            expect(interact.locator(".widget-readout")).to_have_text("4", timeout=TIMEOUT_MS)
            expect(output).to_contain_text("doubled 8", timeout=TIMEOUT_MS)
            expect(output).not_to_contain_text("doubled 6", timeout=TIMEOUT_MS)
            shots.take(interact, "2-interact-moved-to-4")

            # 2. tqdm: the bar reaches 20/20, full width and green (tqdm's "success" style)
            progress = cells.nth(1).locator(".widget-hprogress")
            expect(progress.locator("..")).to_contain_text("20/20", timeout=TIMEOUT_MS)
            bar = progress.locator(".progress-bar")
            expect(bar).to_have_class(re.compile(r"\bprogress-bar-success\b"), timeout=TIMEOUT_MS)
            page.wait_for_function(
                "bar => Math.abs(bar.getBoundingClientRect().width"
                " - bar.parentElement.getBoundingClientRect().width) < 1", arg=bar.element_handle())
            shots.take(cells.nth(1), "3-tqdm-bar-full")

            # 3. plotly: the mimetype renderer draws the chart as SVG, three bars
            chart = cells.nth(2).locator(".js-plotly-plot")
            expect(chart.locator("svg.main-svg").first).to_be_visible(timeout=TIMEOUT_MS)
            expect(chart.locator(".bars .point path")).to_have_count(3, timeout=TIMEOUT_MS)
            shots.take(cells.nth(2), "4-plotly-chart")
            shots.take(page, "5-notebook")
        except Exception:
            with contextlib.suppress(sync_api.Error):  # the test's own error is the one to report
                shots.take(page, "failure")
            raise
