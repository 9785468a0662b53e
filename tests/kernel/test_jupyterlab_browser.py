"""JupyterLab in a real headless Chromium runs a notebook on the hocus kernel.

The test starts JupyterLab on loopback with a token, a temporary root folder
holding a notebook whose kernelspec is ``hocus``, and the hocus kernelspec
installed (the ``hocus_env`` fixture). Debian's Chromium (``/usr/bin/chromium``;
``.ci/run`` installs it), driven by playwright with that executable — playwright
never downloads a browser of its own here — opens the notebook, runs all cells,
and finds the printed text and the rendered HTML in the page. Requests to
anything but the local server are refused, so the test needs no network
(``lab_browser`` holds the browser side, shared with the other browser tests).
"""

from __future__ import annotations

import pytest

pytest.importorskip("jupyterlab")
sync_api = pytest.importorskip("playwright.sync_api")

from jupyter_servers import running_server  # noqa: E402
from lab_browser import (needs_chromium, offline_page, open_notebook, run_all_cells,  # noqa: E402
                         write_hocus_notebook, write_lab_config)

PRINT_CELL = "import sys\nprint('printed by', sys.modules['shell'].__name__)"
HTML_CELL = "display({'text/html': '<b class=\"hocus-html\">bold from hocus</b>', 'text/plain': 'plain'}, raw=True)"

pytestmark = needs_chromium


def test_jupyterlab_runs_a_notebook_on_hocus_in_chromium(hocus_env, tmp_path):
    root, scratch = tmp_path / "root", tmp_path / "scratch"
    root.mkdir()
    write_lab_config(scratch)
    name = write_hocus_notebook(root / "tour.ipynb", PRINT_CELL, HTML_CELL)
    with (running_server("jupyterlab", root, scratch) as server, sync_api.sync_playwright() as pw,
          offline_page(pw, server) as page):
        open_notebook(page, server, name)
        run_all_cells(page)
        printed = page.wait_for_selector(".jp-OutputArea-output:has-text('printed by shell')")
        assert printed.inner_text().strip() == "printed by shell"
        html = page.wait_for_selector(".jp-OutputArea-output.jp-RenderedHTMLCommon b.hocus-html")
        assert html.inner_text() == "bold from hocus"
        prompts = page.locator(".jp-InputArea-prompt").all_inner_texts()
        assert prompts[:2] == ["[1]:", "[2]:"]
